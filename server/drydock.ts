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
import { startSandbox, type PlatformSandbox } from './sandbox/start-sandbox.ts';
import { cachedHubState } from './sandbox/hub/hub-state.ts';
import { StepChecker } from './sessions/step-checker.ts';
import { SessionManager, type SessionPolicy } from './sessions/session-manager.ts';
import { restorableRecords, SessionRecorder } from './sessions/session-records.ts';
import { LearnerProgress } from './learners/learner-progress.ts';
import { openClassroom, type Classroom } from './classes/classroom.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';

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
  /** The store to use instead of opening the one in DRYDOCK_DATA_DIR; its owner closes it. */
  store?: Store;
}

export interface Drydock {
  readonly url: string;
  readonly server: LabServer;
  readonly sessions: SessionManager;
  readonly sandbox: PlatformSandbox;
  readonly hooks: WebhookInbox;
  readonly metrics: Metrics;
  /** Learners, classes, progress and running sessions (closed with the server if it opened it). */
  readonly store: Store;
  /** The labs as this server teaches them (`:::when` blocks resolved with its facts). */
  readonly library: LabLibrary;
  /** Classes, instructors and the live class view. */
  readonly classroom: Classroom;
  /**
   * Stops accepting and tells attached learners. By default ends every session and removes its
   * hosts and the warm pool; with keepHosts (a restart) the sessions stay recorded with their
   * hosts running, for the next start to take over (and to sweep the pool).
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
    limits: { perLearner: config.sessionsPerLearner, perAddress: config.sessionsPerAddress, total: config.sessionsTotal },
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
  // First: a store that is refused stops the start before any container exists.
  const store = options.store ?? openStore(config.dataDir, log);
  const closeStore = () => (options.store ? Promise.resolve() : store.close());
  let recorded: ReturnType<typeof restorableRecords> = { restorable: [], stale: [] };
  // Sessions a server that went away left running (a restart, a crash): the sweep spares their hosts.
  const sandbox = await store
    .sessions()
    .then((records) => {
      recorded = restorableRecords(records, options.labs, Date.now());
      return startSandbox(config, log, recorded.restorable);
    })
    .catch(async (err: unknown) => {
      await closeStore();
      throw err;
    });
  const hooks = new WebhookInbox({ sessionBytes: config.hooksSessionKib * 1024, totalBytes: config.hooksTotalMib * 1024 * 1024 });
  // The gauges read the session manager at scrape time; it exists by then.
  const metrics: Metrics = new Metrics({
    sessionStates: () => sessions.states(),
    hostCount: () => sessions.hostCount(),
    poolSize: () => sandbox.poolSize(),
  });
  const library = new LabLibrary(options.labs, options.facts ?? factsOf(sandbox.kernel));
  const watcher = options.watchLabsDir ? watchLabs(options.watchLabsDir, library, log) : undefined;
  const progress = new LearnerProgress({ store, labs: library, log });
  const sessions = new SessionManager({
    sandbox,
    labs: library,
    checker: options.checkSteps === false ? undefined : new StepChecker(log, hooks, metrics),
    hooks,
    metrics,
    progress,
    records: new SessionRecorder(store, log),
    policy: { ...policyFrom(config), ...options.policy },
    log,
  });
  let hooksListener: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
  let hubStandIn: Awaited<ReturnType<typeof startHubStandIn>> | undefined;
  let server: LabServer | undefined;
  let classroom: Classroom | undefined;
  try {
    classroom = await openClassroom({ config, store, sessions, labs: library, log });
    // Before the server listens, so a reconnecting browser finds its session.
    await Promise.all(recorded.stale.map((r) => store.removeSession(r.id)));
    await sessions.restore(recorded.restorable);
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
        store,
        progress,
        classroom,
      },
      { port: config.port, address: config.listenAddress },
    );
  } catch (err) {
    watcher?.close();
    hooksListener?.close();
    hubStandIn?.close();
    classroom?.close();
    await sessions.close();
    await sandbox.close();
    await closeStore();
    throw err;
  }
  const lab = server;
  const classes = classroom;
  return {
    url: lab.url,
    server: lab,
    sessions,
    sandbox,
    hooks,
    metrics,
    store,
    library,
    classroom: classes,
    close: async (closeOptions = {}) => {
      // Stop accepting, then end the sessions while learners' sockets are still open, so each
      // browser is told why its session ended; then close what is left.
      watcher?.close();
      lab.stopAccepting();
      hooksListener?.close();
      hubStandIn?.close();
      await sessions.close('shutdown', closeOptions);
      classes.close();
      await lab.close();
      await sandbox.close(closeOptions);
      await closeStore();
    },
  };
}
