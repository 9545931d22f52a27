import type { Logger } from '../logging/logger.ts';
import type { LabSession, SessionActivity } from '../sessions/lab-session.ts';
import { Emitter, type Unsubscribe } from '../support/emitter.ts';
import { currentStep, type FollowedSession } from './learner-row.ts';
import { StuckWatch, type StuckPolicy } from './stuck-watch.ts';

/** Something changed in a followed session. */
export interface SessionChange {
  followed: FollowedSession;
  learnerId: string;
}

export interface SessionFollowerDeps {
  sessions: { onSessionStarted(listener: (session: LabSession) => void): Unsubscribe; running(): Iterable<LabSession> };
  stuck: StuckPolicy;
  now: () => number;
  log: Logger;
}

interface Followed extends FollowedSession {
  learnerId: string;
  stop: Unsubscribe;
}

/**
 * Follows every running session from its own events (never by polling): where its learner is,
 * and whether they look stuck. The class feeds listen to it.
 */
export class SessionFollower {
  private readonly followed = new Map<LabSession, Followed>();
  private readonly byLearner = new Map<string, Set<Followed>>();
  private readonly changes = new Emitter<SessionChange>();
  readonly onChange = this.changes.event;
  private readonly stopStarted: Unsubscribe;

  constructor(private readonly deps: SessionFollowerDeps) {
    this.stopStarted = deps.sessions.onSessionStarted((session) => this.follow(session));
    for (const session of deps.sessions.running()) this.follow(session);
  }

  /** The learner's most recent running session of one of these labs. */
  sessionOf(learnerId: string, labIds: readonly string[]): FollowedSession | undefined {
    let found: Followed | undefined;
    for (const f of this.byLearner.get(learnerId) ?? []) if (labIds.includes(f.session.lab.id)) found = f;
    return found;
  }

  close(): void {
    this.stopStarted();
    for (const f of this.followed.values()) f.stop();
    this.followed.clear();
    this.byLearner.clear();
  }

  private follow(session: LabSession): void {
    if (this.followed.has(session) || session.isEnded) return;
    const learnerId = session.owner.learnerId;
    const f: Followed = {
      session,
      learnerId,
      watch: new StuckWatch(this.deps.stuck, this.deps.now()),
      stop: () => {},
    };
    f.watch.at(currentStep(session), this.deps.now());
    f.stop = session.onActivity((activity) => this.activity(f, activity));
    this.followed.set(session, f);
    let mine = this.byLearner.get(learnerId);
    if (!mine) this.byLearner.set(learnerId, (mine = new Set()));
    mine.add(f);
    this.changes.fire({ followed: f, learnerId });
  }

  private activity(f: Followed, activity: SessionActivity): void {
    const now = this.deps.now();
    if (activity.type === 'steps') {
      f.watch.at(currentStep(f.session), now);
    } else if (activity.type === 'checked') {
      f.watch.checked(activity.index, activity.result, activity.byLearner, now);
    } else if (activity.type === 'ended') {
      this.unfollow(f);
    }
    this.changes.fire({ followed: f, learnerId: f.learnerId });
  }

  private unfollow(f: Followed): void {
    f.stop();
    this.followed.delete(f.session);
    const mine = this.byLearner.get(f.learnerId);
    mine?.delete(f);
    if (mine?.size === 0) this.byLearner.delete(f.learnerId);
  }
}
