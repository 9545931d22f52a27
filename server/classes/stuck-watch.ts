import type { StuckBody } from '../../shared/classroom.ts';

export interface StuckPolicy {
  /** No step passed for this long: stuck. */
  afterMs: number;
  /** The same check failed this many times in a row, on checks the learner caused: stuck. */
  failures: number;
}

/**
 * Where one learner is in a session, and whether they look stuck. Pure, with time passed in:
 * the class feed calls it from session events and from its clock.
 */
export class StuckWatch {
  private step = 0;
  private stepSince: number;
  private failingMessage: string | undefined;
  private failures = 0;
  private failingSince = 0;

  constructor(
    private readonly policy: StuckPolicy,
    now: number,
  ) {
    this.stepSince = now;
  }

  /** Index of the current step (the first not passed), and since when the learner is on it. */
  get current(): { index: number; since: number } {
    return { index: this.step, since: this.stepSince };
  }

  /** The current step is now `index`; moving on (or back, after a reset) starts the clocks again. */
  at(index: number, now: number): void {
    if (index === this.step) return;
    this.step = index;
    this.stepSince = now;
    this.failures = 0;
    this.failingMessage = undefined;
  }

  /**
   * A check of the current step finished. Only those the learner caused (a command, the Check
   * button) count: the background timer re-checking an idle learner is not them failing.
   */
  checked(index: number, result: { passed: boolean; message: string }, byLearner: boolean, now: number): void {
    if (index !== this.step || !byLearner) return;
    if (result.passed) {
      this.failures = 0;
      this.failingMessage = undefined;
      return;
    }
    if (result.message === this.failingMessage) this.failures++;
    else {
      this.failingMessage = result.message;
      this.failures = 1;
    }
    if (this.failures === this.policy.failures) this.failingSince = now;
  }

  /** Why the learner looks stuck now, or null; a finished lab is never stuck. */
  stuck(now: number, finished: boolean): StuckBody | null {
    if (finished) return null;
    if (this.failures >= this.policy.failures) {
      return { reason: 'repeated-failure', text: `the same check failed ${this.failures} times in a row`, since: this.failingSince };
    }
    if (now - this.stepSince >= this.policy.afterMs) {
      // The threshold, not the time waited: the row stays the same until something happens (the view shows the time on the step).
      return {
        reason: 'no-progress',
        text: `no step passed for over ${describeMinutes(this.policy.afterMs)}`,
        since: this.stepSince + this.policy.afterMs,
      };
    }
    return null;
  }
}

function describeMinutes(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} seconds`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
