/** Milliseconds now; injected so tests control time. */
export type Clock = () => number;

/**
 * Values that are cheap to keep and slow to get (a file read through exec, a name lookup in a
 * host), kept for a while. Learners change files, so entries expire, and callers can forget an
 * entry at once when it proved stale.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock = () => performance.now(),
  ) {}

  /** The cached value, or `load()`'s (a failed load is not kept). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = load();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
