/** "45 s", "3 min 05 s", "1 h 12 min": time on a step, short enough for a table cell, exact enough to watch tick. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The server's clock as this browser sees it: times in the feed are the server's, the ticking is local. */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Called with each `serverNow` the feed carries. */
  sync(serverNow: number): void {
    this.offsetMs = serverNow - this.now();
  }

  serverTime(): number {
    return this.now() + this.offsetMs;
  }
}
