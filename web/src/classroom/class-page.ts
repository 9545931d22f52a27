import type { LabSummaryBody } from '../../../shared/api.ts';
import type { ClassRef, LabProgressBody, MeBody } from '../../../shared/classroom.ts';
import { api } from '../api.ts';
import { h, icon } from '../dom.ts';
import { sessionStore } from '../session-store.ts';
import { loadingState, problemState } from '../ui/page-state.ts';
import { appHeader } from '../views/app-header.ts';

/** A learner's class: its labs in the instructor's order, each with how far the learner got. */
export async function classPage(root: HTMLElement, classId: string): Promise<void> {
  root.replaceChildren(appHeader(), loadingState('Loading your class…'));
  let me: MeBody;
  let labs: LabSummaryBody[];
  try {
    [me, labs] = await Promise.all([api.me(), api.labs()]);
  } catch (err) {
    root.replaceChildren(appHeader(), problemState('This class could not be shown', (err as Error).message, allLabsLink()));
    return;
  }
  const joined = me.classes.find((c) => c.id === classId);
  if (!joined) {
    root.replaceChildren(
      appHeader(),
      problemState(
        'You are not in this class',
        'Open the link your instructor shared, or type the class code, to join it.',
        h('a', { class: 'btn btn-primary', attrs: { href: '#/join' }, text: 'Join a class' }),
      ),
    );
    return;
  }
  document.title = `${joined.title} · Drydock`;
  root.replaceChildren(appHeader(), classLabs(joined, me, labs));
}

function classLabs(joined: ClassRef, me: MeBody, labs: readonly LabSummaryBody[]): HTMLElement {
  const byId = new Map(labs.map((lab) => [lab.id, lab]));
  const progress = new Map(me.progress.map((p) => [p.labId, p]));
  return h(
    'main',
    { class: 'catalog class-page', attrs: { 'data-class': joined.id } },
    h(
      'div',
      { class: 'catalog-intro' },
      h('p', { class: 'eyebrow', text: 'Your class' }),
      h('h1', { text: joined.title }),
      h('p', { class: 'lead' }, 'You joined as ', h('strong', { class: 'learner-name', text: me.name }), '. Work through the labs in this order.'),
    ),
    h(
      'ol',
      { class: 'class-labs' },
      ...joined.labIds.map((labId, index) => h('li', {}, labRow(index + 1, labId, byId.get(labId), progress.get(labId)))),
    ),
  );
}

function labRow(place: number, labId: string, lab: LabSummaryBody | undefined, progress: LabProgressBody | undefined): HTMLElement {
  const stepCount = progress?.stepCount ?? lab?.stepCount ?? 0;
  const done = progress?.passed.length ?? 0;
  const finished = progress?.finishedAt !== undefined;
  const running = sessionStore.get(labId) !== undefined;
  const action = finished ? 'Open again' : running ? 'Continue' : done > 0 ? 'Continue' : 'Start lab';
  return h(
    'article',
    { class: `class-lab${finished ? ' is-finished' : ''}`, attrs: { 'data-lab': labId } },
    h('span', { class: 'class-lab-place', attrs: { 'aria-hidden': 'true' } }, finished ? icon('check', 16) : String(place)),
    h(
      'div',
      { class: 'class-lab-text' },
      h('h2', { class: 'class-lab-title', text: lab?.title ?? labId }),
      lab && h('p', { class: 'class-lab-summary', text: lab.summary }),
      h(
        'div',
        { class: 'class-lab-progress' },
        h(
          'span',
          { class: 'progress-track' },
          h('span', { class: 'progress-fill', attrs: { style: `width: ${stepCount ? (100 * done) / stepCount : 0}%` } }),
        ),
        h('span', {
          class: 'progress-text',
          text: finished ? `All ${stepCount} steps done` : `${done} of ${stepCount} step${stepCount === 1 ? '' : 's'} done`,
        }),
      ),
    ),
    lab
      ? h(
          'a',
          {
            class: `btn ${finished ? 'btn-secondary' : 'btn-primary'}`,
            attrs: { href: `#/labs/${encodeURIComponent(labId)}`, 'data-action': 'start' },
          },
          action,
          icon('arrowRight', 16),
        )
      : h('span', { class: 'muted small', text: 'This lab is not installed on this server.' }),
  );
}

function allLabsLink(): HTMLElement {
  return h('a', { class: 'btn btn-secondary', attrs: { href: '#/' }, text: 'All labs' });
}
