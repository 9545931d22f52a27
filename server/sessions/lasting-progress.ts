/**
 * What a session knows of its learner's progress beyond itself: the steps they passed before
 * (shown as done before) and where to record a step passed for the first time. Kept by the
 * store; server/learners/learner-progress.ts implements it.
 */
export interface LastingProgress {
  ofLab(learnerId: string, labId: string): Promise<LabPasses>;
}

export interface LabPasses {
  /** When the step first passed before now, if it did. */
  earlier(stepId: string): number | undefined;
  /** The step passed in this session: recorded if it is the first time. */
  passed(stepId: string): void;
}
