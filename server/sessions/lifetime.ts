import { DrydockError } from '../errors/drydock-error.ts';

export interface LifetimePolicy {
  /** Time a new session gets. */
  initialMs: number;
  /** Time one extension adds. */
  extendMs: number;
  /** No session lives longer than this after its start, however often it is extended. */
  maxMs: number;
  /** A session with no browser attached and no request for this long is ended. */
  idleMs: number;
}

export type Expiry = 'expired' | 'idle';

/** A session's deadlines; pure, with time passed in, so the rules are tested without waiting. */
export class Lifetime {
  readonly startedAt: number;
  private deadline: number;
  private lastActivity: number;

  /** `recorded`: a session a restarted server takes over keeps its start and deadline; its idle time starts now. */
  constructor(
    private readonly policy: LifetimePolicy,
    now: number,
    recorded?: { startedAt: number; expiresAt: number },
  ) {
    this.startedAt = recorded?.startedAt ?? now;
    this.lastActivity = now;
    this.deadline = Math.min(recorded?.expiresAt ?? now + policy.initialMs, this.maxExpiresAt);
  }

  get expiresAt(): number {
    return this.deadline;
  }

  get maxExpiresAt(): number {
    return this.startedAt + this.policy.maxMs;
  }

  touch(now: number): void {
    this.lastActivity = Math.max(this.lastActivity, now);
  }

  /** Pushes the deadline out by one extension, up to the maximum lifetime. */
  extend(now: number): void {
    if (this.deadline >= this.maxExpiresAt) {
      const hours = Math.round((this.policy.maxMs / 3_600_000) * 10) / 10;
      throw new DrydockError('DD_SESSION_EXTEND_LIMIT', `this session already runs to its limit of ${hours} h; it cannot be extended further`);
    }
    this.touch(now);
    this.deadline = Math.min(this.deadline + this.policy.extendMs, this.maxExpiresAt);
  }

  /** Whether the session is over at `now`, and why. */
  expiry(now: number): Expiry | undefined {
    if (now >= this.deadline) return 'expired';
    if (now - this.lastActivity >= this.policy.idleMs) return 'idle';
    return undefined;
  }
}
