/** Test support, not used in production code: the real lab server on 127.0.0.1:0 over a real engine. */
import type { Config } from '../config/config.ts';
import { startDrydock, type Drydock } from '../drydock.ts';
import type { PlatformFacts } from '../labs/facts.ts';
import type { Lab } from '../labs/lab.ts';
import { createLogger } from '../logging/logger.ts';
import type { SessionPolicy } from '../sessions/session-manager.ts';
import { testConfig } from './sandbox.ts';

export interface TestServer extends Drydock {
  config: Config;
}

export const TEST_POLICY: SessionPolicy = {
  lifetime: { initialMs: 10 * 60_000, extendMs: 5 * 60_000, maxMs: 20 * 60_000, idleMs: 5 * 60_000 },
  limits: { perClient: 2, total: 3 },
  replayBytes: 64 * 1024,
  sweepMs: 500,
  checkIntervalMs: 10_000,
};

export async function startTestServer(options: {
  labs: readonly Lab[];
  /** Check steps with the checks package; not by default (tests of the terminal path). */
  checks?: boolean;
  policy?: Partial<SessionPolicy>;
  webRoot?: string;
  render?: (markdown: string) => string;
  config?: Partial<Config>;
  watchLabsDir?: string;
  /** Platform facts stated instead of detected, to teach labs as another machine would. */
  facts?: PlatformFacts;
}): Promise<TestServer> {
  const config = testConfig({ port: 0, listenAddress: '127.0.0.1', ...options.config });
  const drydock = await startDrydock({
    config,
    log: createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'silent'),
    labs: options.labs,
    webRoot: options.webRoot ?? '/nonexistent',
    policy: { ...TEST_POLICY, ...options.policy },
    checkSteps: options.checks === true,
    render: options.render ?? ((md) => `<p>${md}</p>`),
    watchLabsDir: options.watchLabsDir,
    facts: options.facts,
  });
  return Object.assign(drydock, { config });
}
