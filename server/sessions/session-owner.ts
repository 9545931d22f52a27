/** Whose session it is: the learner (their cookie's digest), where they came from, and the class it counts for. */
export interface SessionOwner {
  learnerId: string;
  /** The learner's network address, for the per-address ceiling. */
  address: string;
  classId?: string;
}
