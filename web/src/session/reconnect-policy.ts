/** The server closed the socket for what this page sent (a flood, a broken protocol): retrying would only repeat it. */
export const POLICY_VIOLATION = 1008;

/** Service Restart: the server is restarting and keeps the session; connect again until it is back. */
export const SERVICE_RESTART = 1012;

export const RETRY_DELAY = { firstMs: 250, maxMs: 5_000 } as const;

/**
 * What to do once the socket has closed: try again (`restarting`: the server said it is restarting,
 * so there is no point asking it about the session meanwhile), stay closed, or stay closed and
 * say the server's reason.
 */
export type CloseVerdict = 'retry' | 'restarting' | 'stopped' | 'refused';

/**
 * When the session socket reconnects, and after how long: no sockets or timers, so the back-off
 * is tested without a browser. Waits double from 250 ms to 5 s and start over once a connection opens.
 */
export class ReconnectPolicy {
  private attempts = 0;
  private stopped = false;

  /** A connection is being opened (first, or after a wait): how to describe it to the learner. */
  connecting(): 'connecting' | 'reconnecting' {
    this.stopped = false;
    return this.attempts === 0 ? 'connecting' : 'reconnecting';
  }

  opened(): void {
    this.attempts = 0;
  }

  /** The session ended or the page let go of it: no further attempts until connecting() again. */
  stop(): void {
    this.stopped = true;
  }

  closed(code: number): CloseVerdict {
    if (code === POLICY_VIOLATION) {
      this.stopped = true;
      return 'refused';
    }
    if (this.stopped) return 'stopped';
    return code === SERVICE_RESTART ? 'restarting' : 'retry';
  }

  /** How long to wait before the next attempt; undefined if the socket was stopped meanwhile. */
  nextDelayMs(): number | undefined {
    if (this.stopped) return undefined;
    return Math.min(RETRY_DELAY.maxMs, RETRY_DELAY.firstMs * 2 ** this.attempts++);
  }
}
