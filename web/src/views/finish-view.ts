import type { EndReason } from '../../../shared/protocol.ts';
import { h, icon } from '../dom.ts';
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

/** After a lab: what was done, and that the hosts are gone. */
export function finishView(root: HTMLElement, labId: string): void {
  const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as LabResult | null;
  const result = stored?.labId === labId ? stored : undefined;
  const complete = result !== undefined && result.stepCount > 0 && result.stepsDone === result.stepCount;
  document.title = 'Lab finished · Drydock';
  root.replaceChildren(
    appHeader(),
    h(
      'main',
      { class: 'finish' },
      h(
        'div',
        { class: `finish-card${complete ? ' is-complete' : ''}` },
        h('div', { class: 'finish-icon' }, icon(complete ? 'check' : 'flag', 32)),
        h('h1', { text: complete ? 'Well done: every step is complete' : HEADLINE[result?.reason ?? 'gone'] }),
        result ? h('p', { class: 'finish-lab', text: result.title }) : undefined,
        result ? h('p', { class: 'finish-progress', text: `${result.stepsDone} of ${result.stepCount} steps done.` }) : undefined,
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
