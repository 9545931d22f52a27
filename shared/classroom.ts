/**
 * Bodies of the classroom API (learners joining a class, the instructor's pages), shared with the
 * browser. Requests are validated on the server; these are the shapes both sides agree on.
 *
 * Routes (server/http):
 * - learner, with the learner cookie (set on first contact, HttpOnly, SameSite=Lax):
 *   GET /api/me → MeBody; POST /api/join JoinRequest → JoinedBody
 * - instructor, with the instructor cookie (set by signing in, HttpOnly, SameSite=Strict):
 *   POST /api/instructor/sign-in SignInRequest → 204; POST /api/instructor/sign-out → 204
 *   GET /api/instructor/classes → ClassBody[]; POST /api/instructor/classes CreateClassRequest → ClassBody
 *   GET /api/instructor/classes/:id → ClassBody; PATCH /api/instructor/classes/:id UpdateClassRequest → ClassBody
 *   GET /api/instructor/classes/:id/events → text/event-stream of ClassFeedEvent (`data:` JSON)
 *   GET /api/instructor/classes/:id/progress.csv → text/csv
 *   POST /api/instructor/classes/:id/messages MessageRequest → 204
 *   POST /api/instructor/classes/:id/learners/:learnerId/reset → 204; .../end → 204
 *   WebSocket /api/instructor/classes/:id/learners/:learnerId/watch → read-only terminals
 *   (the session socket's server messages and output frames; anything sent is refused)
 */

/** The longest display name a learner may give when joining (it must fit a row of the class view). */
export const LEARNER_NAME_MAX = 40;

export interface JoinRequest {
  code: string;
  name: string;
}

export interface ClassRef {
  id: string;
  title: string;
  labIds: string[];
}

export interface JoinedBody {
  class: ClassRef;
  name: string;
}

/** A step the learner passed once, in any session: shown as done before, distinct from passing now. */
export interface StepPassBody {
  stepId: string;
  firstPassedAt: number;
}

export interface LabProgressBody {
  labId: string;
  passed: StepPassBody[];
  stepCount: number;
  /** When the last of its steps first passed, once all have. */
  finishedAt?: number;
}

export interface MeBody {
  name: string;
  classes: ClassRef[];
  progress: LabProgressBody[];
}

export interface SignInRequest {
  secret: string;
}

export interface CreateClassRequest {
  title: string;
  labIds: string[];
  seats: number;
  opensAt?: number | null;
  closesAt?: number | null;
}

export interface UpdateClassRequest {
  joiningOpen: boolean;
}

export interface ClassBody extends ClassRef {
  code: string;
  /** Path of the join page, code included (the browser adds its origin). */
  joinPath: string;
  seats: number;
  opensAt: number | null;
  closesAt: number | null;
  joiningOpen: boolean;
  createdAt: number;
  memberCount: number;
}

/** Why a learner is marked stuck, in words the instructor reads. */
export interface StuckBody {
  reason: 'no-progress' | 'repeated-failure';
  /** e.g. "no step passed for 12 minutes", "the same check failed 6 times". */
  text: string;
  since: number;
}

/** One row of the live class view. */
export interface LearnerRowBody {
  learnerId: string;
  name: string;
  joinedAt: number;
  /** The learner's running session in this class, if any. */
  sessionId: string | null;
  labId: string | null;
  /** Index of the step the learner is on (the first not passing), and its title. */
  stepIndex: number | null;
  stepTitle: string | null;
  /** When the learner arrived on that step. */
  stepSince: number | null;
  /** Steps passing now in the session, and passed at any time in this lab. */
  passingNow: number;
  passedEver: number;
  stepCount: number;
  /** The failing check's own sentence, when the current step was checked and failed. */
  failing: string | null;
  stuck: StuckBody | null;
  connected: boolean;
}

export type ClassFeedEvent =
  | { type: 'snapshot'; class: ClassBody; rows: LearnerRowBody[]; serverNow: number }
  | { type: 'row'; row: LearnerRowBody; serverNow: number }
  | { type: 'class'; class: ClassBody };

export interface MessageRequest {
  text: string;
  /** One learner; the whole class when absent. */
  learnerId?: string;
}
