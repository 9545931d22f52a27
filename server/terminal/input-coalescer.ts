/**
 * Joins input that arrives together into one write. A socket delivers every message of one
 * network read in one go; a shell write is a syscall plus a wake-up of the engine's stream
 * copier and the shell, so a burst of one-key messages becomes one write of all its keys, in
 * the order they came. Nothing waits for a timer: the write happens as soon as the current
 * task ends (a microtask by default), so a single keystroke is not delayed.
 */
export class InputCoalescer {
  private pending: (string | Uint8Array)[] = [];
  private bytes = 0;

  constructor(
    private readonly write: (data: string | Uint8Array) => void,
    private readonly schedule: (flush: () => void) => void = queueMicrotask,
  ) {}

  /** Input accepted and not yet written (UTF-16 units for text: close enough for a backlog bound). */
  get pendingBytes(): number {
    return this.bytes;
  }

  /** Text (written as UTF-8) or bytes (written as they are). */
  push(data: string | Uint8Array): void {
    if (this.pending.length === 0) this.schedule(() => this.flush());
    this.pending.push(data);
    this.bytes += data.length;
  }

  /** Drops what was not written yet (the shell is closing). */
  discard(): void {
    this.pending = [];
    this.bytes = 0;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : join(this.pending);
    this.discard();
    this.write(data);
  }
}

/** Text stays text (the common case: keys); with any bytes among it, all of it becomes bytes. */
function join(parts: readonly (string | Uint8Array)[]): string | Uint8Array {
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}
