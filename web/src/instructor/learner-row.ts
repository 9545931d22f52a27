import type { LearnerRowBody } from '../../../shared/classroom.ts';
import { h, icon, type IconName } from '../dom.ts';
import { formatElapsed } from './elapsed.ts';

export interface RowActions {
  watch(row: LearnerRowBody): void;
  message(row: LearnerRowBody): void;
  reset(row: LearnerRowBody): void;
  end(row: LearnerRowBody): void;
}

/** One learner in the live class view; redrawn whole on each change, its clock ticking between. */
export class LearnerRow {
  readonly element = h('tr', { class: 'learner-row' });
  private row: LearnerRowBody | undefined;
  private readonly elapsed = h('span', { class: 'row-elapsed', attrs: { 'data-testid': 'elapsed' } });

  constructor(
    private readonly labTitle: (labId: string) => string,
    private readonly actions: RowActions,
  ) {}

  update(row: LearnerRowBody, serverNow: number): void {
    this.row = row;
    const e = this.element;
    e.dataset.learner = row.learnerId;
    e.dataset.state = row.stuck ? 'stuck' : row.failing ? 'failing' : done(row) ? 'done' : row.sessionId ? 'working' : 'idle';
    e.replaceChildren(
      h(
        'td',
        { class: 'cell-name' },
        h('span', {
          class: `presence${row.connected ? ' is-online' : ''}`,
          attrs: { title: row.connected ? 'In the lab now' : 'Not connected', 'aria-label': row.connected ? 'online' : 'offline', role: 'img' },
        }),
        h('span', { class: 'learner-name', attrs: { title: row.name }, text: row.name }),
      ),
      h(
        'td',
        { class: 'cell-lab' },
        row.labId ? h('span', { class: 'row-lab', text: this.labTitle(row.labId) }) : h('span', { class: 'muted', text: 'No lab open' }),
      ),
      h('td', { class: 'cell-step' }, stepCell(row)),
      h('td', { class: 'cell-time' }, this.elapsed),
      h('td', { class: 'cell-status' }, statusCell(row)),
      h(
        'td',
        { class: 'cell-actions' },
        h(
          'div',
          { class: 'row-actions' },
          this.button('Watch', 'eye', 'watch', !row.sessionId, 'See this learner’s terminals (read-only)'),
          this.button('Message', 'message', 'message', false, 'Send this learner a message'),
          this.button('Reset', 'reset', 'reset', !row.sessionId, 'Give this learner fresh hosts'),
          this.button('End', 'stop', 'end', !row.sessionId, 'End this learner’s lab'),
        ),
      ),
    );
    this.tick(serverNow);
  }

  tick(serverNow: number): void {
    const since = this.row?.stepSince;
    this.elapsed.textContent = since !== null && since !== undefined && this.row?.sessionId ? formatElapsed(serverNow - since) : '';
  }

  private button(label: string, name: IconName, action: keyof RowActions, disabled: boolean, title: string): HTMLButtonElement {
    return h(
      'button',
      {
        class: `btn btn-ghost btn-small${action === 'end' ? ' btn-danger-ghost' : ''}`,
        attrs: { type: 'button', 'data-action': action, title, disabled },
        on: { click: () => this.row && this.actions[action](this.row) },
      },
      icon(name, 14),
      h('span', { class: 'btn-label', text: label }),
    );
  }
}

function done(row: LearnerRowBody): boolean {
  return row.stepCount > 0 && row.passingNow === row.stepCount;
}

/** One dot per step (green: passing now), then "Step n of m" and the step's title. */
function stepCell(row: LearnerRowBody): HTMLElement | string {
  if (!row.labId || row.stepCount === 0) return '';
  const current = row.stepIndex ?? row.stepCount;
  const dots = h(
    'span',
    { class: 'step-dots', attrs: { 'aria-label': `${row.passingNow} of ${row.stepCount} steps done` } },
    ...Array.from({ length: row.stepCount }, (_, i) =>
      h('span', {
        class: 'step-dot',
        attrs: { 'data-step': i, 'data-status': i < current ? 'passed' : i === current ? (row.failing ? 'failing' : 'current') : 'pending' },
      }),
    ),
  );
  return h(
    'div',
    { class: 'row-step' },
    dots,
    h(
      'span',
      { class: 'row-step-text' },
      done(row)
        ? h('strong', { text: 'All steps done' })
        : h('span', {}, h('strong', { text: `Step ${current + 1} of ${row.stepCount}` }), row.stepTitle ? `: ${row.stepTitle}` : ''),
    ),
  );
}

function statusCell(row: LearnerRowBody): HTMLElement {
  const failing =
    row.failing &&
    h(
      'div',
      { class: 'row-status is-failing', attrs: { 'data-testid': 'failing' } },
      icon('alert', 14),
      h('span', { class: 'row-status-text', attrs: { title: row.failing }, text: row.failing }),
    );
  if (row.stuck)
    return h(
      'div',
      { class: 'row-status-stack' },
      h(
        'div',
        { class: 'row-status is-stuck', attrs: { 'data-testid': 'stuck' } },
        h('span', { class: 'badge badge-danger' }, icon('alert', 12), 'Stuck'),
        h('span', { class: 'row-status-text', text: row.stuck.text }),
      ),
      failing,
    );
  if (failing) return failing;
  if (done(row)) return h('div', { class: 'row-status is-done' }, icon('check', 14), h('span', { text: 'Finished this lab' }));
  return h('div', { class: 'row-status muted' }, h('span', { text: row.sessionId ? 'Working' : row.passedEver > 0 ? 'Lab closed' : 'Not started' }));
}
