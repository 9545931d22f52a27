/**
 * What Drydock remembers across restarts: learners, classes, progress and the running sessions.
 * Async on purpose: the embedded SQLite store answers at once, a later PostgreSQL store would not,
 * and callers must not notice which one they have. Times are epoch milliseconds.
 */

/** A browser that joined or started a lab. Its cookie holds a secret; only the secret's digest is kept, as the id. */
export interface LearnerRecord {
  id: string;
  /** Given when joining a class; empty for a learner who never joined one. */
  name: string;
  createdAt: number;
}

export interface ClassRecord {
  id: string;
  title: string;
  /** Short code a learner types to join (upper-case letters and digits, no look-alikes). */
  code: string;
  /** The labs of the class, in teaching order. */
  labIds: string[];
  seats: number;
  /** Joining is refused before and after these (null: no bound). */
  opensAt: number | null;
  closesAt: number | null;
  /** The instructor can close joining at any time. */
  joiningOpen: boolean;
  createdAt: number;
}

export interface MemberRecord {
  classId: string;
  learnerId: string;
  /** The display name given when joining. */
  name: string;
  joinedAt: number;
}

/** The first time a learner passed a step of a lab. */
export interface StepPassRecord {
  learnerId: string;
  labId: string;
  stepId: string;
  firstPassedAt: number;
}

/** A running session, as a restarted server needs it to adopt the hosts and take the learner back. */
export interface SessionRecord {
  id: string;
  learnerId: string;
  /** The class the session counts for, if any. */
  classId: string | null;
  /** The learner's network address when the session started, for the per-address ceiling ('' if unknown). */
  address: string;
  labId: string;
  /** sha256 of the token, hex; the token itself is never stored. */
  tokenDigest: string;
  /** The sandbox's host group: its id and host names, to find its containers again. */
  hostGroupId: string;
  hostNames: string[];
  startedAt: number;
  expiresAt: number;
  maxExpiresAt: number;
}

export interface SignInRecord {
  /** sha256 of the cookie's token, hex; the token itself is never stored. */
  tokenDigest: string;
  expiresAt: number;
}

export interface Store {
  /** Creates the learner if unknown; returns it either way. */
  ensureLearner(id: string, now: number): Promise<LearnerRecord>;
  getLearner(id: string): Promise<LearnerRecord | undefined>;

  createClass(record: ClassRecord): Promise<void>;
  getClass(id: string): Promise<ClassRecord | undefined>;
  getClassByCode(code: string): Promise<ClassRecord | undefined>;
  listClasses(): Promise<ClassRecord[]>;
  setJoiningOpen(classId: string, open: boolean): Promise<void>;
  /**
   * Adds the learner to the class under this name, or renames them if already in it. Refuses a
   * new member past the class's seats: 'full'. Atomic, so two joins cannot take the last seat.
   */
  joinClass(member: MemberRecord): Promise<'joined' | 'rejoined' | 'full'>;
  members(classId: string): Promise<MemberRecord[]>;
  /** The classes this learner is a member of. */
  classesOf(learnerId: string): Promise<ClassRecord[]>;

  /** Records that the step passed, unless it passed before; true when this is the first time. */
  recordStepPassed(record: StepPassRecord): Promise<boolean>;
  /** Every first pass of this learner (one lab, or all). */
  stepPasses(learnerId: string, labId?: string): Promise<StepPassRecord[]>;
  /** Every first pass of the members of a class, for its view and its CSV. */
  classStepPasses(classId: string): Promise<StepPassRecord[]>;

  saveSession(record: SessionRecord): Promise<void>;
  updateSession(id: string, patch: Partial<Pick<SessionRecord, 'expiresAt' | 'maxExpiresAt' | 'hostGroupId' | 'hostNames'>>): Promise<void>;
  removeSession(id: string): Promise<void>;
  sessions(): Promise<SessionRecord[]>;

  /** Instructors' signed-in browsers: the digest of each cookie's token, and when it expires. */
  saveSignIn(signIn: SignInRecord): Promise<void>;
  /** Forgets one sign-in, and every one expired by `now`. */
  removeSignIns(tokenDigest: string | undefined, now: number): Promise<void>;
  signIns(): Promise<SignInRecord[]>;

  /** Small named values: the instructor secret's digest, say. */
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
