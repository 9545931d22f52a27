import { deepFreeze } from './deep-freeze.ts';
import { holds, type PlatformFacts } from './facts.ts';
import type { Lab } from './lab.ts';
import { resolveWhen } from './when-blocks.ts';

/**
 * The lab as a server on a machine with these facts teaches it: text, checks and solution
 * commands of other machines' `:::when` blocks are left out (and hints left empty by that), so lessons, sessions and
 * `drydock verify` all see one consistent lab.
 */
export function labForFacts(lab: Lab, facts: PlatformFacts): Lab {
  const text = (markdown: string) => resolveWhen(markdown, facts);
  return deepFreeze({
    ...lab,
    intro: text(lab.intro),
    steps: lab.steps.map((step) => ({
      ...step,
      markdown: text(step.markdown),
      checks: step.checks.filter((c) => holds(c.when, facts)),
      // A hint about another machine only (all its text in `:::when` blocks) is not offered here.
      hints: step.hints.map((hint) => ({ ...hint, markdown: text(hint.markdown) })).filter((hint) => hint.markdown !== ''),
      solution: {
        ...step.solution,
        markdown: text(step.solution.markdown),
        commands: step.solution.commands.filter((c) => holds(c.when, facts)),
      },
    })),
  });
}
