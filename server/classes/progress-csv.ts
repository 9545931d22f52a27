import type { Lab } from '../labs/lab.ts';
import type { MemberRecord, StepPassRecord } from '../store/store.ts';
import { csvText } from './csv.ts';

const HEADER = ['learner', 'joined_at', 'lab', 'step_number', 'step_id', 'step_title', 'status', 'first_passed_at', 'minutes_after_joining'];

/**
 * A class's progress for a spreadsheet: one row per learner × lab × step, in the class's lab
 * order, with when the step first passed (any session of the learner's) or that it has not.
 * Labs the server no longer has are left out.
 */
export function progressCsv(labs: readonly Lab[], members: readonly MemberRecord[], passes: readonly StepPassRecord[]): string {
  const firstPass = new Map(passes.map((p) => [`${p.learnerId}\n${p.labId}\n${p.stepId}`, p.firstPassedAt]));
  const rows: (string | number)[][] = [HEADER];
  for (const member of members) {
    for (const lab of labs) {
      for (const step of lab.steps) {
        const passedAt = firstPass.get(`${member.learnerId}\n${lab.id}\n${step.id}`);
        rows.push([
          member.name,
          iso(member.joinedAt),
          lab.id,
          step.index + 1,
          step.id,
          step.title,
          passedAt === undefined ? 'not passed' : 'passed',
          passedAt === undefined ? '' : iso(passedAt),
          passedAt === undefined ? '' : Math.max(0, Math.round((passedAt - member.joinedAt) / 6000) / 10),
        ]);
      }
    }
  }
  return csvText(rows);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
