/** What one session's socket may send; see MessageBudget. */
export interface BudgetLimits {
  messagesPerSecond: number;
  /** Messages that may arrive at once, on top of the rate. */
  messageBurst: number;
  bytesPerSecond: number;
  byteBurst: number;
  /** After a flood, the session's socket is refused for this long (a reconnect loop gains nothing). */
  penaltyMs: number;
}

/**
 * Far above any person: autorepeat is ~30 keys a second, a 64 KiB paste is four messages, and an
 * honest client's acknowledgements are one per 32–64 KiB of output (~300 a second for `yes` through
 * this server, measured; ~450 for xterm.js at its 28 MB/s). The byte allowance takes a 10 MB paste flood at once, so
 * the shell's own input backlog (DD_INPUT_BACKLOG) answers that one. A one-key flood reaches the
 * message burst within ~20 ms: it paid ~15 µs of the event loop per message before it reached a
 * terminal (issue 11), and that loop carries every learner's keystrokes. The rate is low enough to
 * be met even by a server starved of CPU (5,000 messages a second got through on a loaded machine).
 */
export const SOCKET_BUDGET: BudgetLimits = Object.freeze({
  messagesPerSecond: 2_000,
  messageBurst: 1_000,
  bytesPerSecond: 4 * 1024 * 1024,
  byteBurst: 16 * 1024 * 1024,
  penaltyMs: 5_000,
});

/**
 * Two token buckets, messages and bytes, with an injected clock. Checking one message is O(1)
 * and needs only its length, so a flood is refused before any of it is parsed.
 */
export class MessageBudget {
  private messages: number;
  private bytes: number;
  private at: number;
  private blockedUntil = -Infinity;

  constructor(
    readonly limits: BudgetLimits = SOCKET_BUDGET,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.messages = limits.messageBurst;
    this.bytes = limits.byteBurst;
    this.at = now();
  }

  /** Charges one message of `bytes`: false if either allowance is spent or a penalty runs. */
  spend(bytes: number): boolean {
    const now = this.now();
    if (now < this.blockedUntil) return false;
    const seconds = (now - this.at) / 1000;
    this.at = now;
    this.messages = Math.min(this.limits.messageBurst, this.messages + seconds * this.limits.messagesPerSecond);
    this.bytes = Math.min(this.limits.byteBurst, this.bytes + seconds * this.limits.bytesPerSecond);
    if (this.messages < 1 || this.bytes < bytes) return false;
    this.messages -= 1;
    this.bytes -= bytes;
    return true;
  }

  /** The socket was closed for flooding: refuse everything for the penalty, then start from empty. */
  penalize(): void {
    const now = this.now();
    this.blockedUntil = now + this.limits.penaltyMs;
    this.at = this.blockedUntil;
    this.messages = 0;
    this.bytes = 0;
  }

  /** Milliseconds until the penalty ends (0: none). */
  get blockedForMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  /** The limit in words, for the learner. */
  describe(): string {
    return `${this.limits.messagesPerSecond} messages a second`;
  }
}
