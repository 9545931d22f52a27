import type { LabBody } from '../../../shared/api.ts';
import type { StepStatus } from '../../../shared/protocol.ts';
import { h, icon } from '../dom.ts';
import { dayAndTime } from '../format-time.ts';
import { enhanceCodeBlocks } from './code-blocks.ts';
import { hintsBlock } from './hints.ts';
import { StepFollower } from './step-follower.ts';
import { StepList } from './step-list.ts';

export interface LessonHandlers {
  run(host: string, script: string): void;
  check(): void;
  finish(): void;
}

/** The lesson side: the step list, the shown step's text and hints, its status, and navigation. */
export class LessonPane {
  readonly element: HTMLElement;
  private readonly steps: StepList;
  private readonly body = h('div', { class: 'lesson-body' });
  private readonly follower: StepFollower;

  constructor(
    private lab: LabBody,
    private readonly handlers: LessonHandlers,
  ) {
    this.follower = new StepFollower(lab.steps.length);
    this.steps = new StepList(lab.steps, (i) => this.pick(i));
    this.element = h(
      'section',
      { class: 'lesson-pane', attrs: { 'aria-label': 'Lesson' } },
      h('div', { class: 'lesson-steps' }, this.steps.element),
      this.body,
    );
    this.show(0);
  }

  get current(): number {
    return this.follower.current;
  }

  get complete(): boolean {
    return this.follower.complete;
  }

  /** Shows a new version of the lab's text (dev mode), staying on the step being read. */
  setLab(lab: LabBody): void {
    this.lab = lab;
    this.steps.setTitles(lab.steps.map((s) => s.title));
    this.follower.setStepCount(lab.steps.length);
    this.render(false);
  }

  setStatuses(statuses: readonly StepStatus[]): void {
    this.render(this.follower.setStatuses(statuses));
  }

  /** Shows a step; whether the lesson follows the learner stays as it was. */
  show(index: number, scrollTop = true): void {
    this.follower.show(index);
    this.render(scrollTop);
  }

  private get shown(): number {
    return this.follower.shown;
  }

  private render(scrollTop: boolean): void {
    const step = this.lab.steps[this.shown]!;
    const status = this.follower.status(this.shown);
    const text = h('div', { class: 'prose' });
    text.innerHTML = step.html; // rendered by the server from the lab file, raw HTML escaped
    enhanceCodeBlocks(text, this.handlers.run);
    const intro = this.shown === 0 && this.lab.introHtml.trim() ? h('div', { class: 'prose lesson-intro' }) : undefined;
    if (intro) {
      intro.innerHTML = this.lab.introHtml;
      enhanceCodeBlocks(intro, this.handlers.run);
    }
    this.body.replaceChildren(
      ...[
        intro,
        h(
          'header',
          { class: 'step-header' },
          h('span', { class: 'step-eyebrow', text: `Step ${this.shown + 1} of ${this.lab.steps.length}` }),
          h('h2', { class: 'step-heading', text: step.title }),
        ),
        text,
        passedBeforeNote(status),
        this.statusBox(status),
        hintsBlock(step.hints),
        this.navigation(),
      ].filter((n): n is HTMLElement => n !== undefined),
    );
    this.steps.update(this.follower.all, this.shown);
    if (scrollTop) this.body.scrollTop = 0;
  }

  private statusBox(status: StepStatus): HTMLElement {
    const check = h(
      'button',
      { class: 'btn btn-secondary btn-small', attrs: { type: 'button', 'data-action': 'check' }, on: { click: () => this.handlers.check() } },
      'Check now',
    );
    if (status.status === 'passed') {
      return h(
        'div',
        { class: 'step-status is-passed', attrs: { role: 'status' } },
        icon('check', 18),
        h('div', { class: 'step-status-text' }, h('strong', { text: 'Step done.' }), ' Well done.'),
      );
    }
    if (status.status === 'failing') {
      return h(
        'div',
        { class: 'step-status is-failing', attrs: { role: 'status' } },
        icon('alert', 18),
        h('div', { class: 'step-status-text' }, h('strong', { text: 'Not done yet: ' }), status.message ?? ''),
        check,
      );
    }
    const note = status.status === 'checking' ? 'Checking…' : 'This step is checked each time a command finishes.';
    return h(
      'div',
      { class: `step-status is-${status.status}`, attrs: { role: 'status' } },
      h('div', { class: 'step-status-text muted', text: note }),
      check,
    );
  }

  private navigation(): HTMLElement {
    const last = this.shown === this.lab.steps.length - 1;
    const back = h(
      'button',
      { class: 'btn btn-ghost', attrs: { type: 'button', disabled: this.shown === 0 }, on: { click: () => this.pick(this.shown - 1) } },
      icon('arrowLeft', 16),
      'Previous',
    );
    const forward = last
      ? h(
          'button',
          {
            class: `btn ${this.complete ? 'btn-primary' : 'btn-secondary'}`,
            attrs: { type: 'button', 'data-action': 'finish' },
            on: { click: () => this.handlers.finish() },
          },
          this.complete ? 'Finish lab' : 'End lab',
        )
      : h(
          'button',
          {
            class: `btn ${this.follower.status(this.shown).status === 'passed' ? 'btn-primary' : 'btn-secondary'}`,
            attrs: { type: 'button' },
            on: { click: () => this.pick(this.shown + 1) },
          },
          'Next step',
          icon('arrowRight', 16),
        );
    return h('nav', { class: 'step-nav' }, back, forward);
  }

  private pick(index: number): void {
    this.follower.pick(index);
    this.render(true);
  }
}

/** A step passed in an earlier session but not on these hosts: say so, and that it must be done again here. */
function passedBeforeNote(status: StepStatus): HTMLElement | undefined {
  if (status.passedBefore === undefined || status.status === 'passed') return undefined;
  return h(
    'p',
    { class: 'step-before', attrs: { 'data-testid': 'passed-before' } },
    icon('check', 16),
    h(
      'span',
      {},
      h('strong', { text: `Done before, ${dayAndTime(status.passedBefore)}.` }),
      ' These lab hosts are fresh, so do it again here to continue from this step.',
    ),
  );
}
