import { isMap } from 'yaml';
import { z } from 'zod';
import { validateHostNames } from '../sandbox/host-names.ts';
import { describeIssues } from './issues.ts';
import { LAB_LEVELS } from './lab.ts';
import type { Problems } from './problems.ts';
import { YamlBlock } from './yaml-block.ts';

const hostNames = z
  .array(z.string())
  .min(1, 'needs at least one host name, e.g. [node1]')
  .superRefine((names, ctx) => {
    try {
      validateHostNames(names);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

const labId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and dashes (the folder name)');

const frontMatterSchema = z
  .strictObject({
    id: labId,
    title: z.string().min(1),
    summary: z.string().min(1),
    level: z.enum(LAB_LEVELS),
    /** Minutes a learner needs, roughly. */
    duration: z.number().int().positive().max(600),
    hosts: hostNames,
    images: z.array(z.string().regex(/^[a-z0-9][a-z0-9._/-]*(:[\w.-]+)?$/, 'an image name such as registry:2')).default([]),
    tags: z.array(z.string().min(1)).default([]),
    /** The course the lab belongs to, and its place in it: the catalog shows a track in this order. */
    track: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and dashes, e.g. registry').optional(),
    order: z.number().int().positive().optional(),
    /** Labs (by id) whose skills this one builds on. */
    requires: z.array(labId).default([]),
    /** `false` keeps a lab (a format sample) out of the learner's catalog; it is still linted and verified. */
    listed: z.boolean().default(true),
  })
  .superRefine((fm, ctx) => {
    if ((fm.track === undefined) !== (fm.order === undefined)) {
      ctx.addIssue({ code: 'custom', path: [fm.track === undefined ? 'order' : 'track'], message: 'track and order go together: the order is the place in the track' });
    }
  });

export type FrontMatter = z.output<typeof frontMatterSchema>;

export interface SplitFile {
  frontMatter: FrontMatter | undefined;
  /** The declared hosts when they are valid, even if other keys are not (to check host references). */
  hosts: readonly string[] | undefined;
  /** Line of a front matter key, for problems found later. */
  lineOf: (key: string) => number;
  /** The whole file with the front matter blanked, so body line numbers are file line numbers. */
  body: string;
}

const FENCE = /^---\s*$/;

/** Separates and validates the front matter (between `---` lines at the top of the file). */
export function readFrontMatter(source: string, problems: Problems): SplitFile {
  const lines = source.split('\n');
  const end = FENCE.test(lines[0] ?? '') ? lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l)) : -1;
  if (end < 0) {
    problems.add(1, 'a lab file starts with front matter: a `---` line, YAML (id, title, summary, level, duration, hosts), and a closing `---` line');
    return { frontMatter: undefined, hosts: undefined, lineOf: () => 1, body: source };
  }
  const body = [...lines.slice(0, end + 1).map(() => ''), ...lines.slice(end + 1)].join('\n');
  const yaml = new YamlBlock(lines.slice(1, end).join('\n'), 2);
  for (const e of yaml.syntaxErrors) problems.add(e.line, `front matter: ${e.message}`);
  if (yaml.syntaxErrors.length) return { frontMatter: undefined, hosts: undefined, lineOf: () => 1, body };
  if (!isMap(yaml.root)) {
    problems.add(2, 'front matter: expected keys such as `id: my-lab` and `title: ...`');
    return { frontMatter: undefined, hosts: undefined, lineOf: () => 1, body };
  }
  const root = yaml.root;
  const lineOf = (key: string) => yaml.lineOfKey(root, key);
  const raw = root.toJSON() as Record<string, unknown>;
  const parsed = frontMatterSchema.safeParse(raw);
  if (parsed.success) return { frontMatter: parsed.data, hosts: parsed.data.hosts, lineOf, body };
  for (const issue of describeIssues(parsed.error, raw, frontMatterSchema, 'front matter', 'key')) {
    problems.add(yaml.lineOfKey(yaml.root, issue.key), issue.message);
  }
  return { frontMatter: undefined, hosts: undefined, lineOf: () => 1, body };
}
