import type { ReceivedEvent, RegistryEvent } from '../../checks/registry/registry-event.ts';

export type InboxListener = (sessionId: string, received: readonly ReceivedEvent[]) => void;

export interface InboxLimits {
  /** Events a session keeps; the oldest go first. */
  maxEvents: number;
  /** Bytes of events (as JSON) a session keeps; the oldest go first. */
  sessionBytes: number;
  /** Bytes of events all sessions together keep; past it a session may not grow, only rotate. */
  totalBytes: number;
}

export type RecordResult = { accepted: true } | { accepted: false; reason: string };

const DEFAULT_LIMITS: InboxLimits = { maxEvents: 200, sessionBytes: 256 * 1024, totalBytes: 16 * 1024 * 1024 };

interface SessionEvents {
  list: ReceivedEvent[];
  sizes: number[];
  bytes: number;
}

/**
 * The registry events each session's hosts sent to the platform, newest last. Bounded per
 * session by count and bytes, so a registry stuck in a retry loop (or a learner posting in one)
 * cannot grow memory, and across sessions by bytes, so many sessions doing it at once cannot
 * either. An event's size is its JSON length: it is what the learner's browser is sent, and it
 * tracks the heap the event holds.
 */
export class WebhookInbox {
  private readonly bySession = new Map<string, SessionEvents>();
  private readonly listeners = new Set<InboxListener>();
  private readonly limits: InboxLimits;
  private total = 0;

  constructor(
    limits: Partial<InboxLimits> = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  record(sessionId: string, events: readonly RegistryEvent[]): RecordResult {
    if (events.length === 0) return { accepted: true };
    const receivedAt = this.now().toISOString();
    const received = events.map((event) => ({ receivedAt, event }));
    const sizes = received.map((r) => Buffer.byteLength(JSON.stringify(r)));
    const current = this.bySession.get(sessionId) ?? { list: [], sizes: [], bytes: 0 };
    const next = evictOldest(
      { list: [...current.list, ...received], sizes: [...current.sizes, ...sizes], bytes: current.bytes + sizes.reduce((a, b) => a + b, 0) },
      this.limits,
    );
    const growth = next.bytes - current.bytes;
    if (growth > 0 && this.total + growth > this.limits.totalBytes) {
      return {
        accepted: false,
        reason: `the platform holds its limit of ${this.limits.totalBytes} bytes of registry notifications for all sessions; try again later`,
      };
    }
    this.total += growth;
    this.bySession.set(sessionId, next);
    for (const listener of this.listeners) listener(sessionId, received);
    return { accepted: true };
  }

  events(sessionId: string): readonly ReceivedEvent[] {
    return this.bySession.get(sessionId)?.list ?? [];
  }

  /** Bytes of events kept for one session, or for all of them. */
  bytes(sessionId?: string): number {
    return sessionId === undefined ? this.total : (this.bySession.get(sessionId)?.bytes ?? 0);
  }

  /** Forgets a session's events (it ended or was reset). */
  clear(sessionId: string): void {
    this.total -= this.bySession.get(sessionId)?.bytes ?? 0;
    this.bySession.delete(sessionId);
  }

  subscribe(listener: InboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function evictOldest(events: SessionEvents, limits: InboxLimits): SessionEvents {
  let drop = 0;
  let bytes = events.bytes;
  while (drop < events.list.length && (events.list.length - drop > limits.maxEvents || bytes > limits.sessionBytes)) {
    bytes -= events.sizes[drop]!;
    drop++;
  }
  return { list: events.list.slice(drop), sizes: events.sizes.slice(drop), bytes };
}
