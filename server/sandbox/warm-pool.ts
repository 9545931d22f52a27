/**
 * Keeps up to `size` ready items (lab hosts) waiting. An item is handed out once at most:
 * take() removes it synchronously, and a taken item never comes back to the pool.
 */
export class WarmPool<T> {
  private readonly ready: T[] = [];
  private creating = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly size: number,
    private readonly create: () => Promise<T>,
    private readonly destroy: (item: T) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    /** Items made at once while refilling; two keep both cores busy without starving sessions. */
    private readonly concurrency = 2,
  ) {}

  get available(): number {
    return this.ready.length;
  }

  take(): T | undefined {
    const item = this.ready.shift();
    this.refill();
    return item;
  }

  /** Starts making items until the pool is full; returns at once. */
  refill(): void {
    while (!this.closed && this.ready.length + this.creating < this.size && this.creating < this.concurrency) {
      this.creating++;
      this.create().then(
        (item) => {
          this.creating--;
          if (this.closed) void this.destroy(item).catch(this.onError);
          else this.ready.push(item);
          this.refill();
          this.notify();
        },
        (err) => {
          this.creating--;
          this.onError(err);
          // A failing engine must not turn into a busy loop: wait before the next attempt.
          if (!this.closed) setTimeout(() => this.refill(), 2000).unref();
          this.notify();
        },
      );
    }
  }

  /** Resolves when the pool is full (or closed). */
  async filled(): Promise<void> {
    this.refill();
    while (!this.closed && this.ready.length < this.size) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Stops refilling and destroys every waiting item; items still being made are destroyed when done. */
  async close(): Promise<void> {
    this.closed = true;
    const items = this.ready.splice(0);
    this.notify();
    await Promise.all(items.map((item) => this.destroy(item).catch(this.onError)));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
