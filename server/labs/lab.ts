/**
 * The lab model: what a lab file means once parsed and validated. Values of these types are
 * produced only by the parser (parse-lab.ts), are deeply frozen, and are plain data, so the
 * server can send them to the browser as JSON.
 */
import type { FactCondition } from './facts.ts';

export const LAB_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type LabLevel = (typeof LAB_LEVELS)[number];

/** What the catalog page shows about a lab: its front matter and its size. */
export interface LabSummary {
  /** Stable id, equal to the lab's folder name (used in URLs). */
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly level: LabLevel;
  readonly durationMinutes: number;
  /** Lab host names in the order the front matter gives them; a session creates exactly these. */
  readonly hosts: readonly string[];
  /** Images the lab expects to pull through the platform mirror (e.g. `registry:2`). */
  readonly images: readonly string[];
  readonly tags: readonly string[];
  readonly stepCount: number;
  /** The course the lab belongs to (`registry`), and its place in it (1 comes first). */
  readonly track: string | undefined;
  readonly order: number | undefined;
  /** Ids of the labs this one builds on. */
  readonly requires: readonly string[];
  /** False for labs kept out of the learner's catalog (format samples); they still load and verify. */
  readonly listed: boolean;
}

export interface Lab extends LabSummary {
  /** Path of the lab's Markdown file, as given to the loader. */
  readonly file: string;
  /** Markdown shown above the steps (everything before the first step heading). */
  readonly intro: string;
  readonly steps: readonly Step[];
  /** Line of each front matter key, for problems found across labs (a missing prerequisite). */
  readonly keyLines: Readonly<Record<string, number>>;
}

export interface Step {
  /** Unique in its lab: a slug of the title (`run-a-registry-on-port-5000`). */
  readonly id: string;
  /** 0-based position in the lab. */
  readonly index: number;
  readonly title: string;
  /** Line of the step's heading in the lab file (1-based). */
  readonly line: number;
  /** The lesson text of the step, without its check blocks, hints and solution. */
  readonly markdown: string;
  /** At least one: a step is done when all of them pass. */
  readonly checks: readonly CheckSpec[];
  /** Shown on demand, in order. */
  readonly hints: readonly Hint[];
  readonly solution: Solution;
}

export interface Hint {
  /** The text after `### Hint:` when the author gave one, else undefined. */
  readonly title: string | undefined;
  readonly markdown: string;
  readonly line: number;
}

export interface Solution {
  /** The whole solution section, prose included, for showing it on demand. */
  readonly markdown: string;
  /** Its runnable code blocks, in order: what `drydock verify` types into each host's terminal. */
  readonly commands: readonly SolutionCommand[];
  readonly line: number;
}

export interface SolutionCommand {
  readonly host: string;
  /** The block's text, one or more shell lines, without the trailing newline. */
  readonly script: string;
  readonly line: number;
  /** Set inside a `:::when` block: the command runs only on machines where it holds. */
  readonly when?: FactCondition;
}

/**
 * One check of a step, as declared in a ```` ```check ```` block. `params` were parsed by the
 * check kind's own schema (checks/kinds), defaults applied, so the checks runner trusts them.
 */
export interface CheckSpec {
  /** A kind name from checks/kinds (`registry-has-repo`, `container-running`, `command`, ...). */
  readonly kind: string;
  /** The lab host the check looks at (its engine, its files, or the client side of a registry). */
  readonly host: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** What the check proves, in a learner's words ("a registry answers on 127.0.0.1:5000"). */
  readonly title: string;
  readonly line: number;
  /** Set inside a `:::when` block: the check applies only on machines where it holds. */
  readonly when?: FactCondition;
}

/** A problem in a lab file. Printed as `file:line: message`. */
export interface LabError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export function formatLabError(error: LabError): string {
  return `${error.file}:${error.line}: ${error.message}`;
}
