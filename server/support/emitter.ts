/** Stops a listener; returned by every `onX` event. */
export type Unsubscribe = () => void;

/** A named event, in xterm.js's `onX` style: `emitter.event(listener)` subscribes. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event = (listener: (value: T) => void): Unsubscribe => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }

  clear(): void {
    this.listeners.clear();
  }
}
