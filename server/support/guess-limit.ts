import { DrydockError } from '../errors/drydock-error.ts';
import { TokenBuckets } from '../webhooks/token-bucket.ts';

/** Past this many blocked addresses, those whose wait is over are forgotten. */
const MAX_BLOCKED = 4096;

/**
 * Slows down guessing of a secret (an instructor's secret, a class code) per address: each wrong
 * guess takes a token, and an address that ran out is refused before its next guess is even
 * looked at, so a right guess cannot be told apart while it waits. Right answers cost nothing:
 * a classroom behind one address joins at once.
 */
export class GuessLimit {
  private readonly buckets: TokenBuckets;
  /** Addresses refused until this time (ms on `now`'s clock). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    burst: number,
    perMinute: number,
    /** What is guessed, for the refusal: "instructor secrets". */
    private readonly what: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.buckets = new TokenBuckets(burst, perMinute / 60, now);
  }

  /** Throws DD_GUESS_RATE_LIMITED (429) while this address must wait. */
  assertAllowed(address: string): void {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return;
    if (this.now() >= until) {
      this.blockedUntil.delete(address);
      return;
    }
    // The same words every time: the wait left would tell a prober nothing useful, but keep it flat.
    throw new DrydockError('DD_GUESS_RATE_LIMITED', `too many wrong ${this.what} from this address; wait a minute and try again`);
  }

  /** A wrong guess from this address: past the allowance, its next ones wait. */
  wrong(address: string): void {
    const waitSeconds = this.buckets.take(address);
    if (waitSeconds === 0) return;
    if (this.blockedUntil.size >= MAX_BLOCKED) {
      const now = this.now();
      for (const [key, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(key);
    }
    this.blockedUntil.set(address, this.now() + waitSeconds * 1000);
  }
}
