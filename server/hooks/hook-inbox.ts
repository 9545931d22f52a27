import type { RegistryEvent } from './registry-event.ts';

/** A received event with the time the platform got it. */
export interface ReceivedEvent {
  readonly receivedAt: string;
  readonly event: RegistryEvent;
}

export type InboxListener = (sessionId: string, received: readonly ReceivedEvent[]) => void;

/**
 * The registry events each session's hosts sent to the platform, newest last. A session keeps
 * at most `limit` events, so a registry stuck in a retry loop cannot grow memory.
 */
export class HookInbox {
  private readonly bySession = new Map<string, ReceivedEvent[]>();
  private readonly listeners = new Set<InboxListener>();

  constructor(
    private readonly limit = 200,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(sessionId: string, events: readonly RegistryEvent[]): void {
    if (events.length === 0) return;
    const receivedAt = this.now().toISOString();
    const received = events.map((event) => ({ receivedAt, event }));
    const list = this.bySession.get(sessionId) ?? [];
    list.push(...received);
    if (list.length > this.limit) list.splice(0, list.length - this.limit);
    this.bySession.set(sessionId, list);
    for (const listener of this.listeners) listener(sessionId, received);
  }

  events(sessionId: string): readonly ReceivedEvent[] {
    return this.bySession.get(sessionId) ?? [];
  }

  /** Forgets a session's events (it ended or was reset). */
  clear(sessionId: string): void {
    this.bySession.delete(sessionId);
  }

  subscribe(listener: InboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
