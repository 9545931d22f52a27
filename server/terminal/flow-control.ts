/** Something that can stop and restart producing output: a shell's stream. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

export interface FlowLimits {
  highBytes: number;
  lowBytes: number;
}

/**
 * Acknowledgement-based flow control for one terminal (the scheme of VS Code's pty host and
 * wetty's flowcontrol.ts): count bytes sent to the browser, subtract what it acknowledges as
 * parsed, and pause the source above the high mark until the count falls below the low mark.
 * Pausing rather than dropping keeps full-screen programs intact.
 */
export class FlowControl {
  private unacked = 0;
  private paused = false;

  constructor(
    private readonly limits: FlowLimits,
    private readonly source: Pausable,
  ) {
    if (limits.lowBytes >= limits.highBytes) throw new RangeError('flow control: the low mark must be below the high mark');
  }

  get pendingBytes(): number {
    return this.unacked;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  sent(bytes: number): void {
    this.unacked += bytes;
    if (!this.paused && this.unacked > this.limits.highBytes) {
      this.paused = true;
      this.source.pause();
    }
  }

  acked(bytes: number): void {
    // A confused or hostile client may acknowledge more than it got; never go below zero.
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.paused && this.unacked < this.limits.lowBytes) {
      this.paused = false;
      this.source.resume();
    }
  }

  /** Forgets what was in flight: the consumer went away, or a new one starts from zero. */
  reset(): void {
    this.unacked = 0;
    if (this.paused) {
      this.paused = false;
      this.source.resume();
    }
  }
}
