import type { LabProgressBody, MeBody } from '../../shared/classroom.ts';
import type { Lab } from '../labs/lab.ts';
import type { Logger } from '../logging/logger.ts';
import type { LabPasses, LastingProgress } from '../sessions/lasting-progress.ts';
import type { StepPassRecord, Store } from '../store/store.ts';

export interface LearnerProgressDeps {
  store: Store;
  labs: { get(id: string): Lab | undefined };
  log: Logger;
  now?: () => number;
}

/**
 * A learner's progress that outlasts sessions: the first time each step of a lab passed. Sessions
 * read it when they start and add to it as steps pass; /api/me sums it up per lab.
 */
export class LearnerProgress implements LastingProgress {
  private readonly now: () => number;

  constructor(private readonly deps: LearnerProgressDeps) {
    this.now = deps.now ?? Date.now;
  }

  async ofLab(learnerId: string, labId: string): Promise<LabPasses> {
    const { store, log } = this.deps;
    await store.ensureLearner(learnerId, this.now());
    const first = new Map((await store.stepPasses(learnerId, labId)).map((p) => [p.stepId, p.firstPassedAt]));
    return {
      earlier: (stepId) => first.get(stepId),
      passed: (stepId) => {
        if (first.has(stepId)) return;
        const firstPassedAt = this.now();
        first.set(stepId, firstPassedAt);
        store
          .recordStepPassed({ learnerId, labId, stepId, firstPassedAt })
          .catch((err: unknown) => log.error({ err, learner: learnerId, lab: labId, step: stepId }, 'could not record a step pass'));
      },
    };
  }

  /** What the learner's own pages show: their name, classes, and how far they got in each lab. */
  async me(learnerId: string): Promise<MeBody> {
    const { store } = this.deps;
    const [learner, classes, passes] = await Promise.all([store.getLearner(learnerId), store.classesOf(learnerId), store.stepPasses(learnerId)]);
    const byLab = new Map<string, StepPassRecord[]>();
    for (const pass of passes) byLab.set(pass.labId, [...(byLab.get(pass.labId) ?? []), pass]);
    const progress = [...byLab].flatMap(([labId, labPasses]) => {
      const lab = this.deps.labs.get(labId);
      return lab ? [labProgress(lab, labPasses)] : [];
    });
    return {
      name: learner?.name ?? '',
      classes: classes.map((c) => ({ id: c.id, title: c.title, labIds: c.labIds })),
      progress,
    };
  }
}

/** Passes of steps the lab still has; finished once each of them passed (at the latest of those). */
function labProgress(lab: Lab, passes: StepPassRecord[]): LabProgressBody {
  const byStep = new Map(passes.map((p) => [p.stepId, p.firstPassedAt]));
  const passed = lab.steps.flatMap((s) => {
    const at = byStep.get(s.id);
    return at === undefined ? [] : [{ stepId: s.id, firstPassedAt: at }];
  });
  const finished = lab.steps.length > 0 && passed.length === lab.steps.length;
  return {
    labId: lab.id,
    passed,
    stepCount: lab.steps.length,
    ...(finished ? { finishedAt: Math.max(...passed.map((p) => p.firstPassedAt)) } : {}),
  };
}
