import type { StepBody } from '../../../shared/api.ts';
import type { LabProgressBody } from '../../../shared/classroom.ts';
import type { EndReason } from '../../../shared/protocol.ts';
import { api } from '../api.ts';
import { h, icon } from '../dom.ts';
import { dayAndTime } from '../format-time.ts';
import { appHeader } from './app-header.ts';

export interface LabResult {
  labId: string;
  title: string;
  stepsDone: number;
  stepCount: number;
  reason: EndReason | 'gone';
}

const KEY = 'drydock.lastResult';

export function rememberResult(result: LabResult): void {
  sessionStorage.setItem(KEY, JSON.stringify(result));
}

const HEADLINE: Record<LabResult['reason'], string> = {
  ended: 'Lab finished',
  expired: 'Time is up',
  idle: 'Your session ended while you were away',
  shutdown: 'The server was restarted',
  gone: 'This session has ended',
};

/**
 * After a lab, or from a finished lab's card: what was done (in this session and any earlier
 * one), when each step first passed, and whether the hosts are gone.
 */
export async function finishView(root: HTMLElement, labId: string): Promise<void> {
  const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as LabResult | null;
  const result = stored?.labId === labId ? stored : undefined;
  // Told once, right after the session: the summary opened later from the catalog says nothing of hosts.
  sessionStorage.removeItem(KEY);
  const [lab, me] = await Promise.all([api.lab(labId).catch(() => undefined), api.me().catch(() => undefined)]);
  const progress = me?.progress.find((p) => p.labId === labId);
  const finishedAt = progress?.finishedAt;
  const complete = finishedAt !== undefined || (result !== undefined && result.stepCount > 0 && result.stepsDone === result.stepCount);
  const headline = complete ? 'Well done: every step is complete' : result ? HEADLINE[result.reason] : 'Your progress in this lab';
  document.title = `${complete ? 'Lab finished' : 'Lab summary'} · Drydock`;
  root.replaceChildren(
    appHeader(),
    h(
      'main',
      { class: 'finish' },
      h(
        'div',
        { class: `finish-card${complete ? ' is-complete' : ''}` },
        h('div', { class: 'finish-icon' }, icon(complete ? 'check' : 'flag', 32)),
        h('h1', { text: headline }),
        h('p', { class: 'finish-lab', text: lab?.title ?? result?.title ?? labId }),
        finishedAt !== undefined
          ? h('p', { class: 'finish-progress', text: `Finished ${dayAndTime(finishedAt)}.` })
          : result && h('p', { class: 'finish-progress', text: `${result.stepsDone} of ${result.stepCount} steps done.` }),
        lab && stepSummary(lab.steps, progress),
        result &&
          h('p', {
            class: 'muted',
            attrs: { 'data-testid': 'hosts-gone' },
            text: 'Your lab hosts have been removed, with everything that ran in them.',
          }),
        h(
          'div',
          { class: 'finish-actions' },
          h('a', { class: 'btn btn-secondary', attrs: { href: `#/labs/${encodeURIComponent(labId)}` } }, icon('reset', 16), 'Start this lab again'),
          h('a', { class: 'btn btn-primary', attrs: { href: '#/' } }, 'Back to all labs'),
        ),
      ),
    ),
  );
}

/** Each step with the time it first passed, in any session, or that it is still to do. */
function stepSummary(steps: readonly StepBody[], progress: LabProgressBody | undefined): HTMLElement {
  const passed = new Map((progress?.passed ?? []).map((p) => [p.stepId, p.firstPassedAt]));
  return h(
    'ol',
    { class: 'finish-steps', attrs: { 'aria-label': 'Steps' } },
    ...steps.map((step, index) => {
      const at = passed.get(step.id);
      return h(
        'li',
        { class: 'finish-step', attrs: { 'data-passed': at !== undefined } },
        h('span', { class: 'finish-step-marker', attrs: { 'aria-hidden': 'true' } }, at !== undefined ? icon('check', 12) : String(index + 1)),
        h('span', { class: 'finish-step-title', text: step.title }),
        h('span', { class: 'finish-step-when', text: at !== undefined ? dayAndTime(at) : 'Not done yet' }),
      );
    }),
  );
}
