import type { LearnerRowBody } from '../../shared/classroom.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { MemberRecord } from '../store/store.ts';
import type { StuckWatch } from './stuck-watch.ts';

/** A session as its row shows it, with its stuck watch. */
export interface FollowedSession {
  session: LabSession;
  watch: StuckWatch;
}

/** Index of the first step not passed: the step the learner is on (the step count once all passed). */
export function currentStep(session: LabSession): number {
  const index = session.steps.findIndex((s) => s.status !== 'passed');
  return index < 0 ? session.steps.length : index;
}

/** One learner's row of the live class view, from their membership and their session, if one runs. */
export function learnerRow(member: MemberRecord, followed: FollowedSession | undefined, now: number): LearnerRowBody {
  const base = { learnerId: member.learnerId, name: member.name, joinedAt: member.joinedAt };
  if (!followed) {
    return {
      ...base,
      sessionId: null,
      labId: null,
      stepIndex: null,
      stepTitle: null,
      stepSince: null,
      passingNow: 0,
      passedEver: 0,
      stepCount: 0,
      failing: null,
      stuck: null,
      connected: false,
    };
  }
  const { session, watch } = followed;
  const steps = session.steps;
  const index = currentStep(session);
  const finished = index >= steps.length;
  const status = steps[index];
  return {
    ...base,
    sessionId: session.id,
    labId: session.lab.id,
    stepIndex: finished ? null : index,
    stepTitle: session.lab.steps[index]?.title ?? null,
    stepSince: watch.current.since,
    passingNow: steps.filter((s) => s.status === 'passed').length,
    // Passing now, or passed in an earlier session of the lab (or before a reset).
    passedEver: steps.filter((s) => s.status === 'passed' || s.passedBefore !== undefined).length,
    stepCount: steps.length,
    failing: status?.status === 'failing' ? (status.message ?? null) : null,
    stuck: watch.stuck(now, finished),
    connected: session.isConnected,
  };
}
