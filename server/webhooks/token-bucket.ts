/**
 * Per-key token buckets with an injected clock: each key may take `burst` at once and then
 * `perSecond` a second. The webhook receiver keys them by sender address, so one lab host posting
 * in a loop is slowed without touching the others.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    /** Past this many keys, full buckets (senders that went quiet) are forgotten. */
    private readonly maxKeys = 4096,
  ) {}

  /** Takes a token for `key`: 0 if it had one, else the seconds until it will. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (!this.buckets.has(key)) this.remember(key, bucket);
    if (bucket.tokens < 1) return (1 - bucket.tokens) / this.perSecond;
    bucket.tokens -= 1;
    return 0;
  }

  /** Keys with a bucket. */
  get size(): number {
    return this.buckets.size;
  }

  /** The limit in words, for refusals. */
  describe(): string {
    return `${this.burst} at once, then ${this.perSecond} a second`;
  }

  private remember(key: string, bucket: { tokens: number; at: number }): void {
    if (this.buckets.size >= this.maxKeys) {
      const now = this.now();
      for (const [k, b] of this.buckets) {
        if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k);
      }
    }
    this.buckets.set(key, bucket);
  }
}
