/** Test support, not used in production code: the real lab server on 127.0.0.1:0 over a real engine. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { startDrydock, type Drydock } from '../drydock.ts';
import type { PlatformFacts } from '../labs/facts.ts';
import type { Lab } from '../labs/lab.ts';
import { createLogger } from '../logging/logger.ts';
import type { SessionPolicy } from '../sessions/session-manager.ts';
import type { SessionOwner } from '../sessions/session-owner.ts';
import { testConfig } from './sandbox.ts';

export interface TestServer extends Drydock {
  config: Config;
}

export const TEST_POLICY: SessionPolicy = {
  lifetime: { initialMs: 10 * 60_000, extendMs: 5 * 60_000, maxMs: 20 * 60_000, idleMs: 5 * 60_000 },
  limits: { perLearner: 2, perAddress: 60, total: 3 },
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
  /** The store's folder, kept after close (a restart test reuses it); by default a temporary one, removed at close. */
  dataDir?: string;
}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'drydock-test-data-')));
  const removeData = () => (options.dataDir ? Promise.resolve() : rm(dataDir, { recursive: true, force: true }));
  const config = testConfig({ port: 0, listenAddress: '127.0.0.1', dataDir, ...options.config });
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
  }).catch(async (err: unknown) => {
    await removeData();
    throw err;
  });
  const close = drydock.close;
  return Object.assign(drydock, {
    config,
    close: async (closeOptions?: { keepHosts?: boolean }) => {
      await close(closeOptions);
      await removeData();
    },
  });
}

/** A learner for sessions started without HTTP (no cookie): the id as given, from the loopback address. */
export function testOwner(learnerId: string, address = '127.0.0.1'): SessionOwner {
  return { learnerId, address };
}
