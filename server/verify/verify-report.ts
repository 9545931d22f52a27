import type { LabReport, StepReport } from './verify-lab.ts';

/** One line per step as it finishes, for a report that shows progress on long runs. */
export function formatStep(step: StepReport): string {
  const mark = step.passed ? '✔' : '✖';
  return `  ${mark} ${step.title} (${(step.ms / 1000).toFixed(1)}s)${step.passed ? '' : `\n      ${step.detail}`}`;
}

export function formatLabHeader(labId: string): string {
  return `▶ ${labId}`;
}

/** The closing lines: each lab's verdict, then a count in the form CI tools read. */
export function formatSummary(reports: readonly LabReport[]): string {
  const lines = reports.map((r) => {
    const done = r.steps.filter((s) => s.passed).length;
    const failed = r.steps.find((s) => !s.passed);
    const why = r.error ? `: ${r.error}` : failed ? `: step ${r.steps.indexOf(failed) + 1} "${failed.title}" failed` : '';
    return `${r.passed ? '✔' : '✖'} ${r.labId}, ${done} step${done === 1 ? '' : 's'} verified in ${(r.ms / 1000).toFixed(0)}s${why}`;
  });
  const passed = reports.filter((r) => r.passed).length;
  lines.push(`${passed} passed, ${reports.length - passed} failed`);
  return lines.join('\n');
}
