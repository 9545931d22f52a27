import type { Config } from '../config/config.ts';
import type { Lab } from '../labs/lab.ts';
import type { Logger } from '../logging/logger.ts';
import { InstructorSecret } from '../instructors/instructor-secret.ts';
import { InstructorSignIns } from '../instructors/instructor-sign-ins.ts';
import type { Store } from '../store/store.ts';
import { ClassFeeds } from './class-feeds.ts';
import { ClassLearners } from './class-learners.ts';
import { ClassService } from './class-service.ts';
import { SessionFollower, type SessionFollowerDeps } from './session-follower.ts';

/** Rows are looked at this often for learners who became stuck by time alone. */
const STUCK_TICK_MS = 5_000;

/** Classes, their instructors and the live view, as the transports use them. */
export interface Classroom {
  readonly classes: ClassService;
  readonly learners: ClassLearners;
  readonly feeds: ClassFeeds;
  readonly signIns: InstructorSignIns;
  readonly labs: { get(id: string): Lab | undefined };
  readonly store: Store;
  close(): void;
}

export interface ClassroomDeps {
  config: Pick<Config, 'instructorSecret' | 'instructorSignInHours' | 'stuckAfterSeconds' | 'stuckFailures'>;
  store: Store;
  sessions: SessionFollowerDeps['sessions'];
  labs: { get(id: string): Lab | undefined };
  log: Logger;
  now?: () => number;
}

/** Composes the classroom over the store and the running sessions; the instructor secret is loaded (or made) here. */
export async function openClassroom(deps: ClassroomDeps): Promise<Classroom> {
  const { config, store, labs, log } = deps;
  const now = deps.now ?? Date.now;
  const secret = await InstructorSecret.load(config.instructorSecret, store, log);
  const classes = new ClassService({ store, labs, now });
  const follower = new SessionFollower({
    sessions: deps.sessions,
    stuck: { afterMs: config.stuckAfterSeconds * 1000, failures: config.stuckFailures },
    now,
    log,
  });
  const feeds = new ClassFeeds({ classes, follower, store, now, log, tickMs: STUCK_TICK_MS });
  return {
    classes,
    learners: new ClassLearners(classes, store, follower),
    feeds,
    signIns: await InstructorSignIns.load(secret, config.instructorSignInHours * 3600_000, store, log, now),
    labs,
    store,
    close: () => {
      feeds.close();
      follower.close();
    },
  };
}
