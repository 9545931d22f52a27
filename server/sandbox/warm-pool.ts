export interface WarmPoolOptions<T> {
  size: number;
  create: () => Promise<T>;
  destroy: (item: T) => Promise<void>;
  /** Making an item failed (it is tried again later). */
  onError: (err: unknown) => void;
  /** Items made at once while refilling; two keep both cores busy without starving sessions. */
  concurrency?: number;
}

/**
 * Keeps up to `size` ready items (lab hosts) waiting. An item is handed out once at most:
 * take() removes it synchronously, and a taken item never comes back to the pool.
 */
export class WarmPool<T> {
  private readonly ready: T[] = [];
  private creating = 0;
  private readonly making = new Set<Promise<void>>();
  private closed = false;
  private waiters: (() => void)[] = [];

  private readonly size: number;
  private readonly create: () => Promise<T>;
  private readonly destroy: (item: T) => Promise<void>;
  private readonly onError: (err: unknown) => void;
  private readonly concurrency: number;

  constructor(options: WarmPoolOptions<T>) {
    ({ size: this.size, create: this.create, destroy: this.destroy, onError: this.onError } = options);
    this.concurrency = options.concurrency ?? 2;
  }

  get available(): number {
    return this.ready.length;
  }

  /**
   * Hands out a waiting item, and starts making its replacement unless `deferRefill` (the caller
   * calls refill() once it is done: making hosts would compete with the session being set up).
   */
  take(options: { deferRefill?: boolean } = {}): T | undefined {
    const item = this.ready.shift();
    if (!options.deferRefill) this.refill();
    return item;
  }

  /** Drops waiting items that went bad (a host that died), destroys them and makes new ones. */
  discard(bad: (item: T) => boolean): void {
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const item = this.ready[i]!;
      if (!bad(item)) continue;
      this.ready.splice(i, 1);
      void this.destroy(item).catch(this.onError);
    }
    this.refill();
  }

  /** Items waiting now (to look each one over). */
  waiting(): readonly T[] {
    return [...this.ready];
  }

  /** Starts making items until the pool is full; returns at once. */
  refill(): void {
    while (!this.closed && this.ready.length + this.creating < this.size && this.creating < this.concurrency) {
      this.creating++;
      const making: Promise<void> = this.create().then(
        async (item) => {
          this.creating--;
          if (this.closed) await this.destroy(item).catch(this.onError);
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
      this.making.add(making);
      void making.finally(() => this.making.delete(making));
    }
  }

  /** Resolves when the pool is full (or closed). */
  async filled(): Promise<void> {
    this.refill();
    while (!this.closed && this.ready.length < this.size) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Stops making items and leaves the waiting ones as they are (a server restarting: the next
   * start sweeps them); an item still being made is destroyed once it is done.
   */
  stop(): void {
    this.closed = true;
    this.notify();
  }

  /**
   * Stops refilling and destroys every waiting item; items still being made are destroyed when
   * done, before this resolves (a server that exits right after must not leave one behind).
   */
  async close(): Promise<void> {
    this.closed = true;
    const items = this.ready.splice(0);
    this.notify();
    await Promise.all([...items.map((item) => this.destroy(item).catch(this.onError)), ...this.making]);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
