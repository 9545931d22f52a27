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
import { createSessionId, createToken, digestToken } from './session-token.ts';
import type { StepChecker } from './step-checker.ts';
import { Workbench } from './workbench.ts';

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
  policy: SessionPolicy;
  log: Logger;
  now?: () => number;
}

/**
 * Every running session: starts them within the limits, finds them by id and token, and ends
 * them when the learner says so or a deadline passes (which removes their hosts).
 *
 * @example
 * const { session, token } = await sessions.start('registry-basics', request.ip);
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

  /** The state of every running session, and how many lab hosts they hold (for the metrics). */
  states(): string[] {
    return [...this.sessions.values()].map((s) => s.view().state);
  }

  hostCount(): number {
    let hosts = 0;
    for (const session of this.sessions.values()) hosts += session.hosts.hosts.length;
    return hosts;
  }

  /** Starts a session of a lab for a client (its address); the token is shown once, here. */
  async start(labId: string, client: string): Promise<{ session: LabSession; token: string }> {
    if (this.closed) throw new DrydockError('DD_SANDBOX_CAPACITY', 'the server is shutting down');
    const lab = this.deps.labs.get(labId);
    if (!lab) throw new DrydockError('DD_LAB_NOT_FOUND', `there is no lab "${labId}"`);
    const release = this.limits.reserve(client);
    try {
      const deps = this.sessionDeps();
      const workbench = await Workbench.open(lab, deps);
      const token = createToken();
      const session = new LabSession({
        id: createSessionId(),
        tokenDigest: digestToken(token),
        lab,
        lifetime: new Lifetime(this.deps.policy.lifetime, this.now()),
        workbench,
        deps,
        onEnded: (s) => this.forget(s),
      });
      this.sessions.set(session.id, session);
      this.releases.set(session.id, release);
      this.deps.log.info({ session: session.id, lab: lab.id, client, ...workbench.timings }, 'session started');
      this.deps.metrics?.sessionStarted(workbench.timings.readyMs, workbench.timings.pooled);
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

  /** Ends every session (server shutdown), telling attached learners; hosts are removed unless kept. */
  async close(reason: EndReason = 'shutdown', options: { keepHosts?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.unsubscribe();
    await Promise.allSettled([...this.sessions.values()].map((s) => s.end(reason, options)));
  }

  private forget(session: LabSession): void {
    this.sessions.delete(session.id);
    this.releases.get(session.id)?.();
    this.releases.delete(session.id);
  }

  private sessionDeps(): LabSessionDeps {
    const { sandbox, checker, hooks, policy, log } = this.deps;
    return { sandbox, checker, hooks, replayBytes: policy.replayBytes, log, now: this.now };
  }
}
