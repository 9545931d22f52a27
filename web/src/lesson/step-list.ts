import type { StepBody } from '../../../shared/api.ts';
import type { StepStatus } from '../../../shared/protocol.ts';
import { h, icon } from '../dom.ts';
import { dayAndTime } from '../format-time.ts';

const STATUS_LABEL: Record<StepStatus['status'], string> = {
  pending: 'Not done yet',
  checking: 'Checking…',
  passed: 'Done',
  failing: 'Not done yet',
};

/** The steps of the lab with their live status; clicking one shows it. */
export class StepList {
  readonly element: HTMLOListElement;
  private readonly items: HTMLLIElement[];

  constructor(steps: readonly StepBody[], select: (index: number) => void) {
    this.items = steps.map((step, index) =>
      h(
        'li',
        { class: 'step-item', attrs: { 'data-status': 'pending' } },
        h(
          'button',
          { class: 'step-link', attrs: { type: 'button', title: `${index + 1}. ${step.title}` }, on: { click: () => select(index) } },
          h(
            'span',
            { class: 'step-marker', attrs: { 'aria-hidden': 'true' } },
            h('span', { class: 'step-number', text: String(index + 1) }),
            icon('check', 12),
          ),
          h('span', { class: 'step-title', text: step.title }),
          h('span', { class: 'visually-hidden step-status-text', text: STATUS_LABEL.pending }),
        ),
      ),
    );
    this.element = h('ol', { class: 'step-list', attrs: { 'aria-label': 'Steps' } }, ...this.items);
  }

  /** New titles for the same steps (a lab edited in dev mode). */
  setTitles(titles: readonly string[]): void {
    this.items.forEach((item, index) => {
      const title = titles[index] ?? '';
      item.querySelector('.step-title')!.textContent = title;
      item.querySelector('button')!.title = `${index + 1}. ${title}`;
    });
  }

  update(statuses: readonly StepStatus[], shown: number): void {
    this.items.forEach((item, index) => {
      const status = statuses[index]?.status ?? 'pending';
      const before = statuses[index]?.passedBefore;
      item.dataset.status = status;
      // Done in an earlier session, not (yet) on these hosts: shown apart from passing now.
      item.toggleAttribute('data-passed-before', before !== undefined && status !== 'passed');
      item.classList.toggle('is-shown', index === shown);
      const title = item.querySelector('.step-title')!.textContent ?? '';
      const earlier = before !== undefined && status !== 'passed' ? `Done before, ${dayAndTime(before)}` : undefined;
      item.querySelector('button')!.title = `${index + 1}. ${title}${earlier ? ` (${earlier})` : ''}`;
      item.querySelector('.step-status-text')!.textContent = earlier ? `${STATUS_LABEL[status]}; ${earlier.toLowerCase()}` : STATUS_LABEL[status];
      item.querySelector('button')!.setAttribute('aria-current', index === shown ? 'step' : 'false');
    });
  }
}

/** "2 of 5 steps done" with a bar. */
export function progressBar(): { element: HTMLElement; update(done: number, total: number): void } {
  const fill = h('span', { class: 'progress-fill' });
  const text = h('span', { class: 'progress-text' });
  const bar = h('span', { class: 'progress-track', attrs: { role: 'progressbar', 'aria-valuemin': 0 } }, fill);
  return {
    element: h('div', { class: 'progress' }, bar, text),
    update(done, total) {
      fill.style.width = `${total === 0 ? 0 : (100 * done) / total}%`;
      bar.setAttribute('aria-valuemax', String(total));
      bar.setAttribute('aria-valuenow', String(done));
      text.textContent = `${done} of ${total} steps`;
    },
  };
}
