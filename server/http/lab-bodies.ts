import type { LabBody, LabSummaryBody } from '../../shared/api.ts';
import type { Lab, LabSummary } from '../labs/lab.ts';
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

/** Renders every lab once, at start. */
export function prepareLabBodies(labs: readonly Lab[], render: RenderMarkdown): LabBodies {
  const bodies = new Map(labs.map((lab) => [lab.id, labBody(lab, render)]));
  const summaries = labs.map(labSummaryBody);
  return { list: () => summaries, get: (id) => bodies.get(id) };
}
