import type { ClassBody, ClassFeedEvent, LearnerRowBody } from '../../shared/classroom.ts';
import type { Logger } from '../logging/logger.ts';
import type { ClassRecord, MemberRecord, Store } from '../store/store.ts';
import type { Unsubscribe } from '../support/emitter.ts';
import type { ClassService } from './class-service.ts';
import { learnerRow } from './learner-row.ts';
import type { SessionChange, SessionFollower } from './session-follower.ts';

/** Gets each event of a class's feed, and its JSON (made once for every listener). */
export type FeedListener = (event: ClassFeedEvent, json: string) => void;

export interface ClassFeedsDeps {
  classes: ClassService;
  follower: SessionFollower;
  store: Pick<Store, 'members'>;
  now: () => number;
  log: Logger;
  /** How often rows are looked at for learners who became stuck by time alone (no event says so). */
  tickMs: number;
}

/** A class someone is watching: its members and the rows last sent (with their JSON). */
interface OpenClass {
  record: ClassRecord;
  members: Map<string, MemberRecord>;
  sent: Map<string, { row: LearnerRowBody; json: string }>;
  listeners: Set<FeedListener>;
}

/**
 * The live class view's feed: a snapshot of every member's row when an instructor opens it, then
 * a row whenever one changes (pushed from the sessions' own events), and the class when it changes.
 * A class's state is kept only while someone watches it.
 */
export class ClassFeeds {
  private readonly open = new Map<string, Promise<OpenClass>>();
  private readonly stops: Unsubscribe[];
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ClassFeedsDeps) {
    this.stops = [deps.follower.onChange((change) => this.sessionChanged(change)), deps.classes.onJoined((member) => void this.joined(member))];
  }

  /** Sends the snapshot to `listener`, then every change, until the returned function is called. */
  async subscribe(record: ClassRecord, listener: FeedListener): Promise<Unsubscribe> {
    let opening = this.open.get(record.id);
    if (!opening) {
      opening = this.load(record);
      this.open.set(record.id, opening);
      opening.catch(() => this.open.delete(record.id));
    }
    const feed = await opening;
    // Those already watching get any change first (a learner stuck by time alone), so every row sent is the same for all.
    for (const member of feed.members.values()) this.update(feed, member);
    const rows = [...feed.members.keys()].map((learnerId) => feed.sent.get(learnerId)!.row);
    this.send([listener], { type: 'snapshot', class: await this.deps.classes.body(feed.record), rows, serverNow: this.deps.now() });
    feed.listeners.add(listener);
    this.ticker ??= setInterval(() => this.tick(), this.deps.tickMs).unref();
    return () => {
      feed.listeners.delete(listener);
      if (feed.listeners.size > 0) return;
      this.open.delete(record.id);
      if (this.open.size === 0) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    };
  }

  /** The class itself changed (joining opened or closed): its watchers get it. */
  async classChanged(record: ClassRecord): Promise<void> {
    const feed = await this.open.get(record.id);
    if (!feed) return;
    feed.record = record;
    this.sendClass(feed, await this.deps.classes.body(record));
  }

  close(): void {
    for (const stop of this.stops) stop();
    clearInterval(this.ticker);
    this.open.clear();
  }

  private async load(record: ClassRecord): Promise<OpenClass> {
    const members = await this.deps.store.members(record.id);
    return { record, members: new Map(members.map((m) => [m.learnerId, m])), sent: new Map(), listeners: new Set() };
  }

  private row(feed: OpenClass, member: MemberRecord): LearnerRowBody {
    return learnerRow(member, this.deps.follower.sessionOf(member.learnerId, feed.record.labIds), this.deps.now());
  }

  /** Sends the member's row to the class's watchers if it differs from what they have. */
  private update(feed: OpenClass, member: MemberRecord): void {
    const row = this.row(feed, member);
    const json = JSON.stringify(row);
    if (feed.sent.get(member.learnerId)?.json === json) return;
    feed.sent.set(member.learnerId, { row, json });
    this.send(feed.listeners, { type: 'row', row, serverNow: this.deps.now() });
  }

  private sessionChanged(change: SessionChange): void {
    const labId = change.followed.session.lab.id;
    for (const opening of this.open.values()) {
      void opening.then((feed) => {
        const member = feed.members.get(change.learnerId);
        if (member && feed.record.labIds.includes(labId)) this.update(feed, member);
      });
    }
  }

  private async joined(member: MemberRecord): Promise<void> {
    const feed = await this.open.get(member.classId);
    if (!feed) return;
    const isNew = !feed.members.has(member.learnerId);
    feed.members.set(member.learnerId, member);
    this.update(feed, member);
    if (isNew) this.sendClass(feed, await this.deps.classes.body(feed.record));
  }

  private tick(): void {
    for (const opening of this.open.values()) {
      void opening.then((feed) => {
        for (const member of feed.members.values()) this.update(feed, member);
      });
    }
  }

  private sendClass(feed: OpenClass, body: ClassBody): void {
    this.send(feed.listeners, { type: 'class', class: body });
  }

  private send(listeners: Iterable<FeedListener>, event: ClassFeedEvent): void {
    const json = JSON.stringify(event);
    for (const listener of listeners) {
      try {
        listener(event, json);
      } catch (err) {
        this.deps.log.error({ err }, 'a class feed listener failed');
      }
    }
  }
}
