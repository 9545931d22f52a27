/**
 * Lets code wait until a condition holds over state that changes by events (messages arriving
 * on a socket): each change wakes the waiters to look again, and a poll bounds the wait in case
 * a condition depends on something no event announces.
 */
export class ChangeSignal {
  private waiters: (() => void)[] = [];

  /** Something changed: every waiter looks at its condition again. */
  changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `ready()` holds; after `timeoutMs` fails with `what` and `context()` in the message. */
  async until(ready: () => boolean, what: string, timeoutMs: number, pollMs: number, context: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; ${context()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, pollMs));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
