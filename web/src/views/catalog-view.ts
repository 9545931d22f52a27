import type { LabRef, LabSummaryBody } from '../../../shared/api.ts';
import { api } from '../api.ts';
import { h, icon } from '../dom.ts';
import { sessionStore } from '../session-store.ts';
import { appHeader } from './app-header.ts';

const LEVEL_LABEL = { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' } as const;

/**
 * The list of labs, a course: each track in teaching order (the server sends them so), then labs
 * outside any track. A lab with a session still running offers to continue it.
 */
export async function catalogView(root: HTMLElement): Promise<void> {
  const grid = h('div', { class: 'catalog-tracks', attrs: { 'aria-busy': 'true' } });
  root.replaceChildren(
    appHeader(),
    h(
      'main',
      { class: 'catalog' },
      h(
        'div',
        { class: 'catalog-intro' },
        h('h1', { text: 'Hands-on Docker labs' }),
        h('p', { class: 'lead', text: 'Each lab gives you real Docker hosts in your browser. Read a step, run it, and watch it turn green.' }),
      ),
      grid,
    ),
  );
  document.title = 'Labs · Drydock';
  try {
    const labs = await api.labs();
    grid.removeAttribute('aria-busy');
    grid.replaceChildren(
      ...(labs.length > 0
        ? trackSections(labs)
        : [h('p', { class: 'empty', text: 'No labs are installed yet. Add a lab folder under labs/ and restart the server.' })]),
    );
  } catch (err) {
    grid.replaceChildren(h('p', { class: 'empty error', text: (err as Error).message }));
  }
}

/** One section per track (`registry` → "Registry track"), in the order the labs arrive. */
function trackSections(labs: readonly LabSummaryBody[]): HTMLElement[] {
  const tracks = new Map<string | undefined, LabSummaryBody[]>();
  for (const lab of labs) tracks.set(lab.track, [...(tracks.get(lab.track) ?? []), lab]);
  return [...tracks].map(([track, members]) =>
    h(
      'section',
      { class: 'track', attrs: { 'data-track': track ?? '' } },
      h('h2', { class: 'track-title', text: track ? `${track[0]!.toUpperCase()}${track.slice(1)} track` : tracks.size > 1 ? 'More labs' : 'Labs' }),
      h('ol', { class: 'lab-grid' }, ...members.map((lab) => h('li', {}, labCard(lab)))),
    ),
  );
}

function labCard(lab: LabSummaryBody): HTMLElement {
  const running = sessionStore.get(lab.id) !== undefined;
  return h(
    'article',
    { class: 'lab-card', attrs: { 'data-lab': lab.id, id: `lab-${lab.id}`, tabindex: -1 } },
    h(
      'div',
      { class: 'lab-card-meta' },
      lab.order !== undefined && h('span', { class: 'lab-card-place', text: `${lab.order}` }),
      h('span', { class: `level level-${lab.level}`, text: LEVEL_LABEL[lab.level] }),
      h('span', { class: 'duration' }, icon('clock', 14), `${lab.durationMinutes} min`),
    ),
    h('h3', { class: 'lab-card-title', text: lab.title }),
    h('p', { class: 'lab-card-summary', text: lab.summary }),
    lab.requires.length > 0 && h('p', { class: 'lab-card-requires' }, 'Builds on ', ...joined(lab.requires.map(prerequisiteLink))),
    h(
      'div',
      { class: 'lab-card-footer' },
      h('span', {
        class: 'lab-card-facts',
        text: `${lab.stepCount} step${lab.stepCount === 1 ? '' : 's'} · ${lab.hosts.length} host${lab.hosts.length === 1 ? '' : 's'}`,
      }),
      h(
        'a',
        {
          class: `btn ${running ? 'btn-secondary' : 'btn-primary'}`,
          attrs: { href: `#/labs/${encodeURIComponent(lab.id)}`, 'data-action': 'start' },
        },
        running ? 'Continue' : 'Start lab',
        icon('arrowRight', 16),
      ),
    ),
  );
}

/** A prerequisite's title, linked to its lab; in the catalog a click shows its card instead of starting it. */
function prerequisiteLink(lab: LabRef): HTMLElement {
  return h('a', {
    text: lab.title,
    attrs: { href: `#/labs/${encodeURIComponent(lab.id)}`, 'data-requires': lab.id },
    on: {
      click: (event) => {
        const card = document.getElementById(`lab-${lab.id}`);
        if (!card) return;
        event.preventDefault();
        card.scrollIntoView({ behavior: 'smooth', block: 'center' });
        card.focus({ preventScroll: true });
      },
    },
  });
}

/** `a`, `a and b`, `a, b and c`. */
function joined(items: readonly HTMLElement[]): (HTMLElement | string)[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [i === items.length - 1 ? ' and ' : ', ', item]));
}
