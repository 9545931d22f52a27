import type { LabBody, LabSummaryBody } from '../../shared/api.ts';
import type { Lab, LabSummary } from '../labs/lab.ts';
import type { LabLibrary } from '../labs/lab-library.ts';
import type { LabBodies } from './lab-routes.ts';

/** Renders a lab's Markdown to HTML (code blocks carry data-host when they run in a host). */
export type RenderMarkdown = (markdown: string) => string;

export function labSummaryBody(lab: LabSummary): LabSummaryBody {
  const { id, title, summary, level, durationMinutes, hosts, tags, stepCount } = lab;
  return { id, title, summary, level, durationMinutes, hosts, tags, stepCount };
}

/** What the lab view shows: lesson text, without checks or solutions (those stay on the server). */
export function labBody(lab: Lab, render: RenderMarkdown): LabBody {
  return {
    ...labSummaryBody(lab),
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
  library.subscribe((lab) => {
    bodies.delete(lab.id);
    summaries = undefined;
  });
  return {
    list: () => (summaries ??= library.all().map(labSummaryBody)),
    get: (id) => {
      const lab = library.get(id);
      if (!lab) return undefined;
      let body = bodies.get(id);
      if (!body) bodies.set(id, (body = labBody(lab, render)));
      return body;
    },
  };
}
