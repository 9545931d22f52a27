export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BatchOptions {
  /** How long output keeps being collected once it is flowing. */
  delayMs: number;
  /** A batch is sent at once when it reaches this size. */
  maxBytes: number;
}

/**
 * Sends the first chunk after a quiet spell at once (a keystroke's echo never waits) and
 * collects what follows within delayMs into one message (a flood arrives as ~4 KiB reads from
 * the exec stream; one WebSocket frame per read would cost more than the bytes). A batch is the
 * list of chunks, so the frame around it is the only copy made.
 */
export class OutputBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private window: unknown;

  constructor(
    private readonly emit: (batch: readonly Buffer[], bytes: number) => void,
    private readonly options: BatchOptions,
    private readonly timers: Timers = realTimers,
  ) {}

  push(chunk: Buffer): void {
    if (this.window === undefined) {
      this.emit([chunk], chunk.length);
      this.openWindow();
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.options.maxBytes) this.flush();
  }

  /** Sends what is waiting now and ends the window (the source has ended). */
  drain(): void {
    this.flush();
    this.closeWindow();
  }

  /** Drops what is waiting (the replay buffer already holds it) and ends the window. */
  discard(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.closeWindow();
  }

  private closeWindow(): void {
    if (this.window !== undefined) this.timers.clearTimeout(this.window);
    this.window = undefined;
  }

  private openWindow(): void {
    this.window = this.timers.setTimeout(() => {
      this.window = undefined;
      if (this.pendingBytes > 0) {
        this.flush();
        this.openWindow();
      }
    }, this.options.delayMs);
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(batch, bytes);
  }
}
