import type { LabBody, LabRef, LabSummaryBody } from '../../shared/api.ts';
import { catalogOrder } from '../labs/course.ts';
import type { Lab, LabSummary } from '../labs/lab.ts';
import type { LabLibrary } from '../labs/lab-library.ts';
import type { LabBodies } from './lab-routes.ts';

/** Renders a lab's Markdown to HTML (code blocks carry data-host when they run in a host). */
export type RenderMarkdown = (markdown: string) => string;

/** A lab by id, for a link to it; undefined for one the server does not have. */
export type FindLab = (id: string) => LabRef | undefined;

export function labSummaryBody(lab: LabSummary, find: FindLab): LabSummaryBody {
  const { id, title, summary, level, durationMinutes, hosts, tags, stepCount, track, order } = lab;
  const requires = lab.requires.flatMap((required) => find(required) ?? []);
  return { id, title, summary, level, durationMinutes, hosts, tags, stepCount, ...(track !== undefined ? { track, order } : {}), requires };
}

/** What the lab view shows: lesson text, without checks or solutions (those stay on the server). */
export function labBody(lab: Lab, render: RenderMarkdown, find: FindLab): LabBody {
  return {
    ...labSummaryBody(lab, find),
    introHtml: render(lab.intro),
    steps: lab.steps.map((step) => ({
      id: step.id,
      title: step.title,
      html: render(step.markdown),
      hints: step.hints.map((hint) => ({ title: hint.title, html: render(hint.markdown) })),
    })),
  };
}

/** Renders each lab once, and again when the library replaces it (dev mode). */
export function libraryBodies(library: LabLibrary, render: RenderMarkdown): LabBodies {
  const bodies = new Map<string, LabBody>();
  let summaries: LabSummaryBody[] | undefined;
  const find: FindLab = (id) => {
    const lab = library.get(id);
    return lab && { id: lab.id, title: lab.title };
  };
  // A body names its prerequisites by title, so a changed lab can change others' bodies too.
  library.subscribe(() => {
    bodies.clear();
    summaries = undefined;
  });
  return {
    list: () => (summaries ??= catalogOrder(library.all()).map((lab) => labSummaryBody(lab, find))),
    get: (id) => {
      const lab = library.get(id);
      if (!lab) return undefined;
      let body = bodies.get(id);
      if (!body) bodies.set(id, (body = labBody(lab, render, find)));
      return body;
    },
  };
}
