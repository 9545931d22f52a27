import type { CheckOutcome } from '../../checks/index.ts';
import type { StepStatus } from '../../shared/protocol.ts';

/** What a step's checks found: passed, or the failing check's sentence, which the learner can act on. */
export type StepResult = CheckOutcome;

/** Runs the checks of the step at this index against the session's current hosts. */
export type VerifyStep = (stepIndex: number) => Promise<StepResult>;

/**
 * Why a check runs: a command returned to the prompt, the learner pressed "Check", or a timer
 * looks again for changes that come from elsewhere.
 */
export type CheckTrigger = 'command' | 'manual' | 'timer';

export interface StepProgressOptions {
  stepCount: number;
  /** None: the server checks no steps, and every step stays pending. */
  verify: VerifyStep | undefined;
  /** The statuses changed (sent to the browser). */
  onChange: (statuses: readonly StepStatus[]) => void;
  /** A verification threw instead of answering (a bug, logged). */
  onError: (err: unknown) => void;
  /** Every verification's result; `byLearner`: a command or the Check button asked for it, not a timer. */
  onResult?: (index: number, result: StepResult, byLearner: boolean) => void;
}

/**
 * A session's progress through its lab's steps. The current step is the first one not yet
 * passed; checking it is requested after every finished command, so requests arrive in bursts:
 * at most one verification runs at a time, and requests during it fold into one more run.
 * A step the learner has not worked on yet (no command while it was current) can turn green
 * from a timer's check, but is never shown as failing.
 */
export class StepProgress {
  private statuses: StepStatus[];
  private running = false;
  private again = false;
  private manual = false;
  /** The pending run was asked for by the learner (a command, the Check button). */
  private byLearner = false;
  private readonly attempted = new Set<number>();
  /** Bumped by reset: a verification that started before it must not write its result after it. */
  private generation = 0;

  private stepCount: number;
  private readonly verify: VerifyStep | undefined;
  private readonly onChange: (statuses: readonly StepStatus[]) => void;
  private readonly onError: (err: unknown) => void;
  private readonly onResult: StepProgressOptions['onResult'];

  constructor(options: StepProgressOptions) {
    ({ stepCount: this.stepCount, verify: this.verify, onChange: this.onChange, onError: this.onError, onResult: this.onResult } = options);
    this.statuses = pendingSteps(this.stepCount);
  }

  get view(): readonly StepStatus[] {
    return this.statuses;
  }

  /** Index of the first step not passed; equals the step count once the lab is complete. */
  get current(): number {
    const i = this.statuses.findIndex((s) => s.status !== 'passed');
    return i < 0 ? this.stepCount : i;
  }

  /**
   * Verifies the current step. A manual request (the learner pressed "Check") shows the step
   * as checking meanwhile; automatic ones stay quiet unless the result changes something.
   */
  check(trigger: CheckTrigger): void {
    if (!this.verify || this.current >= this.stepCount) return;
    if (trigger !== 'timer') this.attempted.add(this.current);
    this.manual ||= trigger === 'manual';
    this.byLearner ||= trigger !== 'timer';
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** A session taken over after a server restart: these steps passed before the restart. */
  restorePassed(indexes: readonly number[]): void {
    for (const index of indexes) if (index < this.stepCount) this.set(index, { status: 'passed' });
  }

  /** Starts over with another number of steps (a lab edited in dev mode). */
  resize(stepCount: number): void {
    this.stepCount = stepCount;
    this.reset();
  }

  reset(): void {
    this.generation++;
    this.attempted.clear();
    this.statuses = pendingSteps(this.stepCount);
    this.onChange(this.statuses);
  }

  private async run(): Promise<void> {
    const generation = this.generation;
    const index = this.current;
    this.running = true;
    if (this.manual) this.set(index, { status: 'checking' });
    this.manual = false;
    const byLearner = this.byLearner;
    this.byLearner = false;
    try {
      const result = await this.verify!(index);
      if (generation !== this.generation) return;
      if (result.passed) this.set(index, { status: 'passed' });
      else if (this.attempted.has(index)) this.set(index, { status: 'failing', message: result.message || 'not done yet' });
      // After the statuses: who follows both sees the step failing when it hears why.
      this.onResult?.(index, result, byLearner);
    } catch (err) {
      if (generation === this.generation && this.attempted.has(index))
        this.set(index, { status: 'failing', message: 'the checks could not run; try again in a moment' });
      this.onError(err);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.check('timer');
      }
    }
  }

  private set(index: number, status: StepStatus): void {
    const before = this.statuses[index];
    if (before?.status === status.status && before.message === status.message) return;
    this.statuses = this.statuses.map((s, i) => (i === index ? status : s));
    this.onChange(this.statuses);
  }
}

function pendingSteps(count: number): StepStatus[] {
  return Array.from({ length: count }, () => ({ status: 'pending' as const }));
}
