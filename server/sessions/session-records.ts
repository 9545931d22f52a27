import type { Lab } from '../labs/lab.ts';
import type { Logger } from '../logging/logger.ts';
import type { SessionRecord, Store } from '../store/store.ts';

/** What a running session's record can change to: a longer lifetime (extend), new hosts (reset). */
export type SessionRecordChange = Partial<Pick<SessionRecord, 'expiresAt' | 'maxExpiresAt' | 'hostGroupId' | 'hostNames'>>;

export type SessionRecordStore = Pick<Store, 'saveSession' | 'updateSession' | 'removeSession' | 'sessions'>;

/**
 * Keeps the store's record of each running session current, so a restarted server can take it
 * over. A failed write costs the session its place after a restart, not the learner's lesson:
 * it is logged, never thrown at the learner.
 */
export class SessionRecorder {
  constructor(
    private readonly store: SessionRecordStore,
    private readonly log: Logger,
  ) {}

  saved(record: SessionRecord): Promise<void> {
    return this.write(record.id, () => this.store.saveSession(record));
  }

  changed(id: string, change: SessionRecordChange): Promise<void> {
    return this.write(id, () => this.store.updateSession(id, change));
  }

  removed(id: string): Promise<void> {
    return this.write(id, () => this.store.removeSession(id));
  }

  private async write(id: string, operation: () => Promise<void>): Promise<void> {
    try {
      await operation();
    } catch (err) {
      this.log.error({ err, session: id }, 'could not record the session in the store; it will not survive a server restart');
    }
  }
}

/**
 * Which recorded sessions a starting server may take over: those still within their lifetime,
 * of a lab it still has with the same hosts. The others are forgotten and their hosts swept.
 */
export function restorableRecords(
  records: readonly SessionRecord[],
  labs: readonly Pick<Lab, 'id' | 'hosts'>[],
  now: number,
): { restorable: SessionRecord[]; stale: SessionRecord[] } {
  const restorable: SessionRecord[] = [];
  const stale: SessionRecord[] = [];
  for (const record of records) {
    const lab = labs.find((l) => l.id === record.labId);
    const fits = lab !== undefined && lab.hosts.join() === record.hostNames.join() && now < record.expiresAt;
    (fits ? restorable : stale).push(record);
  }
  return { restorable, stale };
}
