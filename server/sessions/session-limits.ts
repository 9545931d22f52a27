import { DrydockError } from '../errors/drydock-error.ts';
import type { SessionOwner } from './session-owner.ts';

export interface LimitPolicy {
  perLearner: number;
  /** A ceiling against abuse: a classroom behind one NAT shares an address. */
  perAddress: number;
  total: number;
}

/**
 * Counts running (and starting) sessions per learner, per address and in total. A place is
 * reserved before the slow sandbox work starts, so a burst of clicks cannot overshoot the limits.
 */
export class SessionLimits {
  private readonly byLearner = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private count = 0;

  constructor(private readonly policy: LimitPolicy) {}

  get running(): number {
    return this.count;
  }

  /** Takes a place for this owner; returns the function that gives it back (idempotent). */
  reserve(owner: Pick<SessionOwner, 'learnerId' | 'address'>): () => void {
    const mine = this.byLearner.get(owner.learnerId) ?? 0;
    if (mine >= this.policy.perLearner) {
      throw new DrydockError(
        'DD_SESSION_LIMIT',
        `you already have ${mine} lab session${mine === 1 ? '' : 's'} running, the most one learner may have at once; ` +
          'end one (or let it expire) before starting another',
      );
    }
    const fromAddress = this.byAddress.get(owner.address) ?? 0;
    if (fromAddress >= this.policy.perAddress) {
      throw new DrydockError(
        'DD_SESSION_LIMIT',
        `${fromAddress} lab sessions are already running from your network address, the most one address may have at once; ` +
          'ask your instructor or the server operator to raise DRYDOCK_SESSIONS_PER_ADDRESS',
      );
    }
    if (this.count >= this.policy.total) {
      throw new DrydockError('DD_SANDBOX_CAPACITY', `all ${this.policy.total} lab places are taken right now; please try again in a few minutes`);
    }
    return this.hold(owner);
  }

  /** Counts a session that already runs, without checking: one a restarted server took over was within the limits when it started. */
  hold(owner: Pick<SessionOwner, 'learnerId' | 'address'>): () => void {
    this.byLearner.set(owner.learnerId, (this.byLearner.get(owner.learnerId) ?? 0) + 1);
    this.byAddress.set(owner.address, (this.byAddress.get(owner.address) ?? 0) + 1);
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      decrement(this.byLearner, owner.learnerId);
      decrement(this.byAddress, owner.address);
    };
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
