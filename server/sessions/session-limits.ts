import { DrydockError } from '../errors/drydock-error.ts';

export interface LimitPolicy {
  perClient: number;
  total: number;
}

/**
 * Counts running (and starting) sessions per client and in total. A place is reserved before
 * the slow sandbox work starts, so a burst of clicks cannot overshoot the limits.
 */
export class SessionLimits {
  private readonly byClient = new Map<string, number>();
  private count = 0;

  constructor(private readonly policy: LimitPolicy) {}

  get running(): number {
    return this.count;
  }

  /** Takes a place for `client`; returns the function that gives it back (idempotent). */
  reserve(client: string): () => void {
    const mine = this.byClient.get(client) ?? 0;
    if (mine >= this.policy.perClient) {
      throw new DrydockError(
        'DD_SESSION_LIMIT',
        `you already have ${mine} lab session${mine === 1 ? '' : 's'} running, the most one learner may have at once; ` +
          'end one (or let it expire) before starting another',
      );
    }
    if (this.count >= this.policy.total) {
      throw new DrydockError('DD_SANDBOX_CAPACITY', `all ${this.policy.total} lab places are taken right now; please try again in a few minutes`);
    }
    this.byClient.set(client, mine + 1);
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      const left = (this.byClient.get(client) ?? 1) - 1;
      if (left > 0) this.byClient.set(client, left);
      else this.byClient.delete(client);
    };
  }
}
