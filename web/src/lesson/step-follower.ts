import type { StepStatus } from '../../../shared/protocol.ts';

/**
 * Which step the lesson shows. It follows the learner: when the step they are on turns green, the
 * next one opens, unless they went to read another step; picking the step they are on (the first
 * not yet passed) makes it follow again. No DOM, so it is tested without a browser.
 */
export class StepFollower {
  private statuses: StepStatus[];
  private shownStep = 0;
  private following = true;

  constructor(private stepCount: number) {
    this.statuses = Array.from({ length: stepCount }, () => ({ status: 'pending' }));
  }

  get shown(): number {
    return this.shownStep;
  }

  /** The learner's step: the first not yet passed, or the last once all have. */
  get current(): number {
    const i = this.statuses.findIndex((s) => s.status !== 'passed');
    return i < 0 ? this.statuses.length - 1 : i;
  }

  get complete(): boolean {
    return this.statuses.length > 0 && this.statuses.every((s) => s.status === 'passed');
  }

  get all(): readonly StepStatus[] {
    return this.statuses;
  }

  status(index: number): StepStatus {
    return this.statuses[index] ?? { status: 'pending' };
  }

  /** New progress from the server; true when the shown step changed with it. */
  setStatuses(statuses: readonly StepStatus[]): boolean {
    const [before, shown] = [this.current, this.shownStep];
    this.statuses = [...statuses];
    // A step that just passed: move on with the learner, unless they are reading another step.
    if (this.following && this.current !== before) this.show(this.current);
    return this.shownStep !== shown;
  }

  /** The learner chose a step (the list, Previous, Next). */
  pick(index: number): void {
    this.following = index === this.current;
    this.show(index);
  }

  /** Shows a step without changing whether the lesson follows; out-of-range indexes are clamped. */
  show(index: number): void {
    this.shownStep = Math.max(0, Math.min(index, this.stepCount - 1));
  }

  /** A new version of the lab (dev mode) with this many steps: stays on the step shown if it can. */
  setStepCount(count: number): void {
    this.stepCount = count;
    this.show(this.shownStep);
  }
}
