import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { regularExpression } from './params.ts';

/**
 * The escape hatch: a shell script run in the host (bash -c, not in a terminal) must exit with
 * `exitCode` and, with `output`, print something matching that regular expression. Prefer a
 * named kind: they explain failures better and do not spawn a process per check.
 */
export const command = defineCheckKind({
  name: 'command',
  summary: 'a shell script run in the host exits with a code (default 0) and prints output matching a regular expression',
  params: z.strictObject({
    run: z.string().min(1),
    exitCode: z.number().int().min(0).max(255).default(0),
    /** A regular expression its standard output must match (JavaScript syntax, multi-line). */
    output: regularExpression.optional(),
    /** What to tell the learner when it fails (otherwise a generic sentence). */
    message: z.string().min(1).optional(),
    /** What the check proves, for the step list (otherwise the script). */
    title: z.string().min(1).optional(),
  }),
  describe: (p) => p.title ?? `\`${p.run}\` succeeds`,
  async run(p, target) {
    const r = await target.host.exec(['bash', '-c', p.run]);
    if (r.exitCode !== p.exitCode) {
      return fail(p.message ?? `\`${p.run}\` exited with ${r.exitCode}, not ${p.exitCode}${tail(r.stderr || r.stdout)}`);
    }
    if (p.output && !new RegExp(p.output, 'm').test(r.stdout)) {
      return fail(p.message ?? `\`${p.run}\` printed no match for ${p.output}${tail(r.stdout)}`);
    }
    return pass(p.title ?? `\`${p.run}\` succeeds`);
  },
});

/** The last line a command printed, to show with its failure. */
function tail(text: string): string {
  const last = text.trim().split('\n').at(-1)?.slice(0, 200);
  return last ? ` (it said: ${last})` : '';
}
