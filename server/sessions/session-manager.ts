import type { EndReason } from '../../shared/protocol.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Lab } from '../labs/lab.ts';
import type { Logger } from '../logging/logger.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { LabSession, type LabSessionDeps } from './lab-session.ts';
import { Lifetime, type LifetimePolicy } from './lifetime.ts';
import { SessionLimits, type LimitPolicy } from './session-limits.ts';
import type { LastingProgress } from './lasting-progress.ts';
import type { SessionOwner } from './session-owner.ts';
import type { SessionRecorder, SessionRecordChange } from './session-records.ts';
import type { SessionRecord } from '../store/store.ts';
import { createSessionId, createToken, digestToken } from './session-token.ts';
import type { StepChecker } from './step-checker.ts';
import { Workbench } from './workbench.ts';
import { Emitter } from '../support/emitter.ts';

/** Where sessions find labs by id; in dev mode it also says when a lab's file changed. */
export interface LabLookup {
  get(id: string): Lab | undefined;
  subscribe?(listener: (lab: Lab) => void): () => void;
}

export interface SessionPolicy {
  lifetime: LifetimePolicy;
  limits: LimitPolicy;
  /** Recent output each terminal keeps for a re-attaching browser. */
  replayBytes: number;
  /** How often deadlines are looked at. */
  sweepMs: number;
  /** How often an attached session's current step is checked without a command to prompt it. */
  checkIntervalMs: number;
}

export interface SessionManagerDeps {
  sandbox: Sandbox;
  labs: LabLookup;
  checker?: StepChecker;
  /** Where registry notifications from lab hosts arrive; sessions show them and re-check. */
  hooks?: WebhookInbox;
  metrics?: Pick<Metrics, 'sessionStarted'>;
  /** The learners' first passes (the store): shown as done before, recorded as steps pass. */
  progress?: LastingProgress;
  /** Where running sessions are recorded, for the next start to take over (the store). */
  records?: SessionRecorder;
  policy: SessionPolicy;
  log: Logger;
  now?: () => number;
}

/**
 * Every running session: starts them within the limits, finds them by id and token, and ends
 * them when the learner says so or a deadline passes (which removes their hosts).
 *
 * @example
 * const { session, token } = await sessions.start('registry-basics', { learnerId, address: request.ip });
 * sessions.authorize(session.id, token).connect(client);
 */
export class SessionManager {
  private readonly sessions = new Map<string, LabSession>();
  private readonly releases = new Map<string, () => void>();
  private readonly limits: SessionLimits;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private closed = false;
  private readonly started = new Emitter<LabSession>();
  /** Every session that starts, once it runs (the live class view follows them). */
  readonly onSessionStarted = this.started.event;

  constructor(private readonly deps: SessionManagerDeps) {
    this.limits = new SessionLimits(deps.policy.limits);
    this.now = deps.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), deps.policy.sweepMs).unref();
    const stopHooks = deps.hooks?.subscribe((hostsId, received) => this.withHosts(hostsId)?.registryEvents(received));
    const stopLabs = deps.labs.subscribe?.((lab) => {
      for (const session of this.sessions.values()) session.labUpdated(lab);
    });
    this.unsubscribe = () => {
      stopHooks?.();
      stopLabs?.();
    };
  }

  /** The id of the host group one of whose hosts has this address (webhook senders). */
  hostsIdForAddress(address: string): string | undefined {
    for (const session of this.sessions.values()) {
      const hosts = session.hosts;
      if (hosts.hosts.some((h) => h.address === address)) return hosts.id;
    }
    return undefined;
  }

  private withHosts(hostsId: string): LabSession | undefined {
    for (const session of this.sessions.values()) if (session.hosts.id === hostsId) return session;
    return undefined;
  }

  get count(): number {
    return this.sessions.size;
  }

  /** The running sessions. */
  running(): IterableIterator<LabSession> {
    return this.sessions.values();
  }

  /** The state of every running session, and how many lab hosts they hold (for the metrics). */
  states(): string[] {
    return [...this.sessions.values()].map((s) => s.view().state);
  }

  hostCount(): number {
    let hosts = 0;
    for (const session of this.sessions.values()) hosts += session.hosts.hosts.length;
    return hosts;
  }

  /** Starts a session of a lab for a learner; the token is shown once, here. */
  async start(labId: string, owner: SessionOwner): Promise<{ session: LabSession; token: string }> {
    if (this.closed) throw new DrydockError('DD_SANDBOX_CAPACITY', 'the server is shutting down');
    const lab = this.deps.labs.get(labId);
    if (!lab) throw new DrydockError('DD_LAB_NOT_FOUND', `there is no lab "${labId}"`);
    const release = this.limits.reserve(owner);
    try {
      const passes = await this.deps.progress?.ofLab(owner.learnerId, lab.id);
      const deps = this.sessionDeps();
      const workbench = await Workbench.open(lab, deps);
      const token = createToken();
      const tokenDigest = digestToken(token);
      const session = new LabSession({
        id: createSessionId(),
        tokenDigest,
        lab,
        owner,
        passes,
        lifetime: new Lifetime(this.deps.policy.lifetime, this.now()),
        workbench,
        deps,
        onEnded: (s) => this.forget(s),
      });
      this.sessions.set(session.id, session);
      this.releases.set(session.id, release);
      await this.deps.records?.saved(recordOf(session, tokenDigest));
      this.deps.log.info(
        { session: session.id, lab: lab.id, learner: owner.learnerId, address: owner.address, ...workbench.timings },
        'session started',
      );
      this.deps.metrics?.sessionStarted(workbench.timings.readyMs, workbench.timings.pooled);
      this.started.fire(session);
      if (this.closed) await session.end('shutdown');
      return { session, token };
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * The session with this id, if the token is its own. Unknown ids and wrong tokens fail alike,
   * so probing tells nothing about which sessions exist.
   */
  authorize(id: string, token: string | undefined): LabSession {
    if (!token) throw new DrydockError('DD_SESSION_TOKEN_MISSING', 'this request needs the session token');
    const session = this.sessions.get(id);
    if (!session || !session.tokenMatches(token)) {
      throw new DrydockError('DD_SESSION_NOT_FOUND', 'no running session has this id and token; it may have ended');
    }
    return session;
  }

  /** Ends sessions whose deadline passed; a session with a browser attached is not idle. */
  sweep(): void {
    const now = this.now();
    for (const session of this.sessions.values()) {
      if (session.isConnected) {
        session.touch();
        session.checkIfDue(this.deps.policy.checkIntervalMs);
      }
      const expiry = session.lifetime.expiry(now);
      if (expiry) void session.end(expiry).catch((err) => this.deps.log.error({ err, session: session.id }, 'could not end session'));
    }
  }

  /**
   * Takes over the sessions a server that went away recorded (see restorableRecords): each comes
   * back under its id, token and deadlines, on its hosts with their shells still running, and its
   * current step is checked at once. One whose hosts are gone is forgotten, its record removed.
   */
  async restore(records: readonly SessionRecord[]): Promise<void> {
    await Promise.all(
      records.map(async (record) => {
        try {
          if (await this.restoreOne(record)) return;
          this.deps.log.warn({ session: record.id, lab: record.labId }, 'a recorded session could not be taken over: its hosts are gone');
        } catch (err) {
          this.deps.log.error({ err, session: record.id }, 'could not take over a recorded session');
        }
        await this.deps.records?.removed(record.id);
      }),
    );
  }

  /**
   * Server shutdown. With keepHosts (a restart) every session stays for the next start: its hosts
   * run on and its browser is told to reconnect. Otherwise every session ends, learners are told,
   * and their hosts are removed.
   */
  async close(reason: EndReason = 'shutdown', options: { keepHosts?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.unsubscribe();
    const sessions = [...this.sessions.values()];
    await Promise.allSettled(sessions.map((s) => (options.keepHosts ? s.suspend() : s.end(reason))));
  }

  private async restoreOne(record: SessionRecord): Promise<boolean> {
    const lab = this.deps.labs.get(record.labId);
    const deps = this.sessionDeps();
    if (!lab) {
      await (await this.deps.sandbox.adoptHostGroup(record))?.dispose();
      return false;
    }
    const workbench = await Workbench.adopt(lab, record, deps);
    if (!workbench) return false;
    const owner: SessionOwner = { learnerId: record.learnerId, address: record.address, ...(record.classId ? { classId: record.classId } : {}) };
    const session = new LabSession({
      id: record.id,
      tokenDigest: Buffer.from(record.tokenDigest, 'hex'),
      lab,
      owner,
      passes: await this.deps.progress?.ofLab(owner.learnerId, lab.id),
      lifetime: new Lifetime(this.deps.policy.lifetime, this.now(), record),
      runStartedAt: record.startedAt,
      workbench,
      deps,
      onEnded: (s) => this.forget(s),
    });
    this.sessions.set(session.id, session);
    this.releases.set(session.id, this.limits.hold(owner));
    this.deps.log.info({ session: session.id, lab: lab.id, learner: owner.learnerId }, 'session taken over after a restart');
    this.started.fire(session);
    session.resume();
    return true;
  }

  private forget(session: LabSession): void {
    void this.deps.records?.removed(session.id);
    this.sessions.delete(session.id);
    this.releases.get(session.id)?.();
    this.releases.delete(session.id);
  }

  private sessionDeps(): LabSessionDeps {
    const { sandbox, checker, hooks, policy, log } = this.deps;
    const recordChange = (id: string, change: SessionRecordChange) => void this.deps.records?.changed(id, change);
    return { sandbox, checker, hooks, replayBytes: policy.replayBytes, log, now: this.now, recordChange };
  }
}

/** What the store keeps of a session that starts: never the token, only its digest. */
function recordOf(session: LabSession, tokenDigest: Buffer): SessionRecord {
  return {
    id: session.id,
    learnerId: session.owner.learnerId,
    classId: session.owner.classId ?? null,
    address: session.owner.address,
    labId: session.lab.id,
    tokenDigest: tokenDigest.toString('hex'),
    hostGroupId: session.hosts.id,
    hostNames: session.hosts.hosts.map((h) => h.name),
    startedAt: session.lifetime.startedAt,
    expiresAt: session.lifetime.expiresAt,
    maxExpiresAt: session.lifetime.maxExpiresAt,
  };
}
