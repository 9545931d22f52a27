import { hubPortOf, type Config } from './config/config.ts';
import { WebhookInbox } from './webhooks/webhook-inbox.ts';
import { libraryBodies } from './http/lab-bodies.ts';
import { startWebhookReceiver } from './http/webhook-receiver.ts';
import { startHubStandIn } from './http/hub-stand-in.ts';
import { startLabServer, type LabServer } from './lab-server.ts';
import { factsOf, type PlatformFacts } from './labs/facts.ts';
import type { Lab } from './labs/lab.ts';
import { LabLibrary } from './labs/lab-library.ts';
import { watchLabs } from './labs/lab-watcher.ts';
import { renderMarkdown } from './labs/render.ts';
import type { Logger } from './logging/logger.ts';
import { Metrics } from './metrics/metrics.ts';
import { DockerSandbox } from './sandbox/docker-sandbox.ts';
import { cachedHubState } from './sandbox/hub/hub-state.ts';
import { StepChecker } from './sessions/step-checker.ts';
import { SessionManager, type SessionPolicy } from './sessions/session-manager.ts';

export interface DrydockOptions {
  config: Config;
  log: Logger;
  labs: readonly Lab[];
  /** The built web app (dist/web); a folder without it serves the API only. */
  webRoot: string;
  /** Overrides of the policy the config gives (tests use short timers). */
  policy?: Partial<SessionPolicy>;
  /** False: steps are never checked (tests of the terminal path). Checked by default. */
  checkSteps?: boolean;
  render?: (markdown: string) => string;
  /** Dev mode: reload labs from this folder when their files change; open lessons follow. */
  watchLabsDir?: string;
  /** Platform facts the labs are taught with; by default those the sandbox detected (tests state them). */
  facts?: PlatformFacts;
}

export interface Drydock {
  readonly url: string;
  readonly server: LabServer;
  readonly sessions: SessionManager;
  readonly sandbox: DockerSandbox;
  readonly hooks: WebhookInbox;
  readonly metrics: Metrics;
  /** The labs as this server teaches them (`:::when` blocks resolved with its facts). */
  readonly library: LabLibrary;
  /**
   * Stops accepting, tells attached learners, and ends every session; their hosts and the warm
   * pool are removed, or with keepHosts left for the next start's sweep.
   */
  close(options?: { keepHosts?: boolean }): Promise<void>;
}

export function policyFrom(config: Config): SessionPolicy {
  return {
    lifetime: {
      initialMs: config.sessionSeconds * 1000,
      extendMs: config.sessionExtendSeconds * 1000,
      maxMs: config.sessionMaxSeconds * 1000,
      idleMs: config.sessionIdleSeconds * 1000,
    },
    limits: { perClient: config.sessionsPerClient, total: config.sessionsTotal },
    replayBytes: config.terminalReplayKib * 1024,
    sweepMs: 1000,
    checkIntervalMs: 10_000,
  };
}

/**
 * The whole lab server, composed in one place for `npm start`, `drydock verify` and the tests:
 * sandbox → sessions (with step checks and registry notifications) → HTTP, WebSockets, the
 * webhook receiver and the Docker Hub stand-in.
 */
export async function startDrydock(options: DrydockOptions): Promise<Drydock> {
  const { config, log } = options;
  const sandbox = await DockerSandbox.start(config, log);
  const hooks = new WebhookInbox({ sessionBytes: config.hooksSessionKib * 1024, totalBytes: config.hooksTotalMib * 1024 * 1024 });
  // The gauges read the session manager at scrape time; it exists by then.
  const metrics: Metrics = new Metrics({
    sessionStates: () => sessions.states(),
    hostCount: () => sessions.hostCount(),
    poolSize: () => sandbox.poolSize(),
  });
  const library = new LabLibrary(options.labs, options.facts ?? factsOf(sandbox.kernel));
  const watcher = options.watchLabsDir ? watchLabs(options.watchLabsDir, library, log) : undefined;
  const sessions = new SessionManager({
    sandbox,
    labs: library,
    checker: options.checkSteps === false ? undefined : new StepChecker(log, hooks, metrics),
    hooks,
    metrics,
    policy: { ...policyFrom(config), ...options.policy },
    log,
  });
  let hooksListener: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
  let hubStandIn: Awaited<ReturnType<typeof startHubStandIn>> | undefined;
  let server: LabServer | undefined;
  try {
    hooksListener = await startWebhookReceiver({
      port: config.hooksPort,
      inbox: hooks,
      sessionForAddress: (a) => sessions.hostsIdForAddress(a),
      log,
    });
    hubStandIn = await startHubStandIn({
      port: hubPortOf(config),
      certificate: sandbox.hubCertificate,
      state: cachedHubState(() => sandbox.hubState()),
      isLabHost: (a) => sessions.hostsIdForAddress(a) !== undefined,
      log,
    });
    server = await startLabServer(
      {
        sessions,
        labs: libraryBodies(library, options.render ?? renderMarkdown),
        config,
        log,
        webRoot: options.webRoot,
        allowedOrigins: config.allowedOrigins,
        metrics,
        unready: () => sandbox.engineProblem(),
        facts: library.facts,
      },
      { port: config.port, address: config.listenAddress },
    );
  } catch (err) {
    watcher?.close();
    hooksListener?.close();
    hubStandIn?.close();
    await sessions.close();
    await sandbox.close();
    throw err;
  }
  const lab = server;
  return {
    url: lab.url,
    server: lab,
    sessions,
    sandbox,
    hooks,
    metrics,
    library,
    close: async (closeOptions = {}) => {
      // Stop accepting, then end the sessions while learners' sockets are still open, so each
      // browser is told why its session ended; then close what is left.
      watcher?.close();
      lab.stopAccepting();
      hooksListener?.close();
      hubStandIn?.close();
      await sessions.close('shutdown', closeOptions);
      await lab.close();
      await sandbox.close(closeOptions);
    },
  };
}
