import type { LabRef, LabSummaryBody } from '../../../shared/api.ts';
import type { LabProgressBody } from '../../../shared/classroom.ts';
import { api } from '../api.ts';
import { classLinks } from '../classroom/class-links.ts';
import { h, icon } from '../dom.ts';
import { day } from '../format-time.ts';
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
        classLinks(),
      ),
      grid,
    ),
  );
  document.title = 'Labs · Drydock';
  try {
    // Progress is a bonus: the catalog still lists the labs if it cannot be read.
    const [labs, me] = await Promise.all([api.labs(), api.me().catch(() => undefined)]);
    const progress = new Map((me?.progress ?? []).map((p) => [p.labId, p]));
    grid.removeAttribute('aria-busy');
    grid.replaceChildren(
      ...(labs.length > 0
        ? trackSections(labs, progress)
        : [h('p', { class: 'empty', text: 'No labs are installed yet. Add a lab folder under labs/ and restart the server.' })]),
    );
  } catch (err) {
    grid.replaceChildren(h('p', { class: 'empty error', text: (err as Error).message }));
  }
}

/** One section per track (`registry` → "Registry track"), in the order the labs arrive. */
function trackSections(labs: readonly LabSummaryBody[], progress: ReadonlyMap<string, LabProgressBody>): HTMLElement[] {
  const tracks = new Map<string | undefined, LabSummaryBody[]>();
  for (const lab of labs) tracks.set(lab.track, [...(tracks.get(lab.track) ?? []), lab]);
  return [...tracks].map(([track, members]) =>
    h(
      'section',
      { class: 'track', attrs: { 'data-track': track ?? '' } },
      h('h2', { class: 'track-title', text: track ? `${track[0]!.toUpperCase()}${track.slice(1)} track` : tracks.size > 1 ? 'More labs' : 'Labs' }),
      h('ol', { class: 'lab-grid' }, ...members.map((lab) => h('li', {}, labCard(lab, progress.get(lab.id))))),
    ),
  );
}

function labCard(lab: LabSummaryBody, progress: LabProgressBody | undefined): HTMLElement {
  const running = sessionStore.get(lab.id) !== undefined;
  const finished = progress?.finishedAt !== undefined;
  return h(
    'article',
    {
      class: `lab-card${finished ? ' is-finished' : ''}`,
      attrs: { 'data-lab': lab.id, id: `lab-${lab.id}`, tabindex: -1, 'data-progress': finished ? 'finished' : progress ? 'started' : undefined },
    },
    h(
      'div',
      { class: 'lab-card-meta' },
      lab.order !== undefined && h('span', { class: 'lab-card-place', text: `${lab.order}` }),
      h('span', { class: `level level-${lab.level}`, text: LEVEL_LABEL[lab.level] }),
      h('span', { class: 'duration' }, icon('clock', 14), `${lab.durationMinutes} min`),
      finished && h('span', { class: 'lab-card-finished' }, icon('check', 14), 'Finished'),
    ),
    h('h3', { class: 'lab-card-title', text: lab.title }),
    h('p', { class: 'lab-card-summary', text: lab.summary }),
    lab.requires.length > 0 && h('p', { class: 'lab-card-requires' }, 'Builds on ', ...joined(lab.requires.map(prerequisiteLink))),
    progress && labProgress(lab, progress),
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
        running ? 'Continue' : finished ? 'Start again' : 'Start lab',
        icon('arrowRight', 16),
      ),
    ),
  );
}

/** How far the learner got, in any session: a bar, and for a finished lab the date and its summary page. */
function labProgress(lab: LabSummaryBody, progress: LabProgressBody): HTMLElement {
  const done = progress.passed.length;
  const total = progress.stepCount || lab.stepCount;
  const fill = h('span', { class: 'progress-fill' });
  fill.style.width = `${total === 0 ? 0 : (100 * done) / total}%`;
  return h(
    'div',
    { class: 'lab-card-progress' },
    h(
      'span',
      {
        class: 'progress-track',
        attrs: { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done, 'aria-label': 'Steps done' },
      },
      fill,
    ),
    progress.finishedAt !== undefined
      ? h(
          'span',
          { class: 'lab-card-progress-text' },
          `Finished ${day(progress.finishedAt)} · `,
          h('a', { text: 'Summary', attrs: { href: `#/done/${encodeURIComponent(lab.id)}`, 'data-action': 'summary' } }),
        )
      : h('span', { class: 'lab-card-progress-text', text: `${done} of ${total} steps done` }),
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
