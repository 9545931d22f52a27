/**
 * Test helper (not used in production): labs written inline in a test, as text or as folders in
 * a temporary directory, and their problems as `line: message` strings easy to assert on.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatLabError, type LabError } from '../labs/lab.ts';
import { parseLab, type ParseOptions, type ParseResult } from '../labs/parse-lab.ts';

/** Removes the indentation common to all lines, so inline labs can be indented in tests. */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '\n')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

const DEFAULT_FRONT_MATTER: Record<string, string> = {
  id: 'inline',
  title: 'Inline lab',
  summary: 'A lab written in a test',
  level: 'beginner',
  duration: '5',
  hosts: '[node1]',
};

/** A lab file: front matter (defaults, overridden or removed with `undefined`) and a body. */
export function inlineLab(body: string, frontMatter: Record<string, string | undefined> = {}): string {
  const fields = Object.entries({ ...DEFAULT_FRONT_MATTER, ...frontMatter }).filter(([, v]) => v !== undefined);
  return `---\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${dedent(body)}`;
}

/**
 * One step of an inline lab: a heading, some text, a check block and a one-block solution,
 * without dedent's indentation rules (a check's YAML keeps its own indentation).
 */
export function inlineStep(step: { title: string; text?: string; check: string; solution: string; host?: string }): string {
  const { title, text = 'Do it.', check, solution, host = 'node1' } = step;
  return [`## ${title}`, '', text, '', '```check', check, '```', '', '### Solution', '', `\`\`\`bash ${host}`, solution, '```', ''].join('\n');
}

/** A one-step lab: the step is done once /root/mark exists (`touch /root/mark`). */
export function markLab(id = 'mark'): string {
  return inlineLab(inlineStep({ title: 'Leave a mark', check: '- kind: file-exists\n  path: /root/mark', solution: 'touch /root/mark' }), { id });
}

/** Parses an inline lab as `labs/inline/lab.md`. */
export function parseInline(source: string, options: ParseOptions = {}): ParseResult & { source: string } {
  return { ...parseLab('labs/inline/lab.md', source, options), source };
}

/** Problems as `LINE: message`, the way an instructor reads them. */
export function problems(result: { errors: readonly LabError[] }): string[] {
  return result.errors.map((e) => formatLabError(e).replace(/^[^:]*:/, ''));
}

/** The 1-based line of the first line containing `text` (so tests need not count lines). */
export function lineOf(source: string, text: string, after = 0): number {
  const index = source.split('\n').findIndex((l, i) => i >= after && l.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in the lab`);
  return index + 1;
}

/** Writes files (`'id/lab.md': text`) to a new temporary folder, removed on dispose. */
export async function labFolder(files: Record<string, string>): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-labs-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}
