import type { LabSummaryBody } from '../../../shared/api.ts';
import { api } from '../api.ts';
import { h, icon } from '../dom.ts';
import { sessionStore } from '../session-store.ts';
import { appHeader } from './app-header.ts';

const LEVEL_LABEL = { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' } as const;

/** The list of labs. A lab with a session still running offers to continue it. */
export async function catalogView(root: HTMLElement): Promise<void> {
  const grid = h('div', { class: 'lab-grid', attrs: { 'aria-busy': 'true' } });
  root.replaceChildren(
    appHeader(),
    h(
      'main',
      { class: 'catalog' },
      h('div', { class: 'catalog-intro' }, h('h1', { text: 'Hands-on Docker labs' }), h('p', { class: 'lead', text: 'Each lab gives you real Docker hosts in your browser. Read a step, run it, and watch it turn green.' })),
      grid,
    ),
  );
  document.title = 'Labs · Drydock';
  try {
    const labs = await api.labs();
    grid.removeAttribute('aria-busy');
    grid.replaceChildren(...(labs.length > 0 ? labs.map(labCard) : [h('p', { class: 'empty', text: 'No labs are installed yet. Add a lab folder under labs/ and restart the server.' })]));
  } catch (err) {
    grid.replaceChildren(h('p', { class: 'empty error', text: (err as Error).message }));
  }
}

function labCard(lab: LabSummaryBody): HTMLElement {
  const running = sessionStore.get(lab.id) !== undefined;
  return h(
    'article',
    { class: 'lab-card', attrs: { 'data-lab': lab.id } },
    h('div', { class: 'lab-card-meta' }, h('span', { class: `level level-${lab.level}`, text: LEVEL_LABEL[lab.level] }), h('span', { class: 'duration' }, icon('clock', 14), `${lab.durationMinutes} min`)),
    h('h2', { class: 'lab-card-title', text: lab.title }),
    h('p', { class: 'lab-card-summary', text: lab.summary }),
    h(
      'div',
      { class: 'lab-card-footer' },
      h('span', { class: 'lab-card-facts', text: `${lab.stepCount} step${lab.stepCount === 1 ? '' : 's'} · ${lab.hosts.length} host${lab.hosts.length === 1 ? '' : 's'}` }),
      h('a', { class: `btn ${running ? 'btn-secondary' : 'btn-primary'}`, attrs: { href: `#/labs/${encodeURIComponent(lab.id)}`, 'data-action': 'start' } }, running ? 'Continue' : 'Start lab', icon('arrowRight', 16)),
    ),
  );
}
