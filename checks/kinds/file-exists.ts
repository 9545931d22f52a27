import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { absolutePath, regularExpression } from './params.ts';

/** A file or folder exists in the host; with `contains`, the file's text matches that regular expression. */
export const fileExists = defineCheckKind({
  name: 'file-exists',
  summary: 'a file or folder exists in the host, optionally with text matching a regular expression',
  params: z.strictObject({
    path: absolutePath,
    /** A regular expression the file's text must match (JavaScript syntax, multi-line). */
    contains: regularExpression.optional(),
  }),
  describe: (p) => `${p.path} exists${p.contains ? ` and contains ${p.contains}` : ''}`,
  async run(p, target) {
    const host = target.host.name;
    if (!p.contains) {
      return (await target.files.exists(p.path)) ? pass(`${p.path} exists in ${host}`) : fail(`there is no ${p.path} in ${host}`);
    }
    const text = await target.files.read(p.path);
    if (text === undefined) return fail(`there is no ${p.path} in ${host}`);
    if (!new RegExp(p.contains, 'm').test(text)) return fail(`${p.path} in ${host} does not contain ${p.contains}`);
    return pass(`${p.path} in ${host} contains ${p.contains}`);
  },
});
