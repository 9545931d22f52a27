import type { LabSummaryBody } from '../../../shared/api.ts';
import type { ClassBody } from '../../../shared/classroom.ts';
import { api, ApiError } from '../api.ts';
import { classroomApi } from '../classroom-api.ts';
import { h, type Child } from '../dom.ts';
import { loadingState, problemState } from '../ui/page-state.ts';
import { appHeader } from '../views/app-header.ts';
import { classCard } from './class-card.ts';
import { newClassForm } from './new-class-form.ts';
import { signInForm } from './sign-in-form.ts';

/** Not signed in (or the cookie expired): every instructor page falls back to the sign-in form. */
export function needsSignIn(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** `#/instructor`: the sign-in form, or the instructor's classes and the form that makes a new one. */
export async function instructorView(root: HTMLElement): Promise<void> {
  document.title = 'Classes · Drydock';
  root.replaceChildren(instructorHeader(), loadingState('Loading your classes…'));
  let classes: ClassBody[];
  let labs: LabSummaryBody[];
  try {
    [classes, labs] = await Promise.all([classroomApi.classes(), api.labs()]);
  } catch (err) {
    if (needsSignIn(err))
      root.replaceChildren(
        appHeader(),
        signInForm(() => void instructorView(root)),
      );
    else root.replaceChildren(instructorHeader(), problemState('Your classes could not be loaded', (err as Error).message));
    return;
  }
  const titles = new Map(labs.map((lab) => [lab.id, lab.title]));
  const list = h('div', { class: 'class-list', attrs: { 'data-testid': 'class-list' } });
  const show = () =>
    list.replaceChildren(
      ...(classes.length === 0
        ? [h('p', { class: 'empty', text: 'No classes yet. Create one with the form: learners join it with its link or its code.' })]
        : classes.map((klass) => classCard(klass, titles))),
    );
  show();
  root.replaceChildren(
    instructorHeader(),
    h(
      'main',
      { class: 'catalog instructor-page' },
      h(
        'div',
        { class: 'catalog-intro' },
        h('h1', { text: 'Your classes' }),
        h('p', { class: 'lead', text: 'Share a class link or code; follow each learner live.' }),
      ),
      h(
        'div',
        { class: 'instructor-columns' },
        list,
        newClassForm(labs, (klass) => {
          classes = [klass, ...classes];
          show();
          // The new class is first in the list: show it, with its code and link.
          window.scrollTo({ top: 0 });
        }),
      ),
    ),
  );
}

/** The header of the instructor's pages: where they are, and signing out. */
export function instructorHeader(...items: Child[]): HTMLElement {
  return appHeader(
    h('a', { class: 'header-link', attrs: { href: '#/instructor' }, text: 'Classes' }),
    ...items,
    h('button', {
      class: 'btn btn-ghost btn-small header-end',
      attrs: { type: 'button', 'data-action': 'sign-out' },
      text: 'Sign out',
      on: {
        click: async () => {
          await classroomApi.signOut().catch(() => {});
          if (location.hash === '#/instructor') window.dispatchEvent(new HashChangeEvent('hashchange'));
          else location.hash = '#/instructor';
        },
      },
    }),
  );
}
