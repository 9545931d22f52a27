import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkCourse } from './course.ts';
import type { Lab, LabError } from './lab.ts';
import { parseLab, type ParseOptions } from './parse-lab.ts';

/** The Markdown file of a lab, in the lab's own folder: `labs/<id>/lab.md`. */
export const LAB_FILE = 'lab.md';

export interface LabCatalog {
  /** Every lab without problems, ordered by id (= folder name). */
  readonly labs: readonly Lab[];
  /** Problems of the labs left out, each with its file and line. */
  readonly errors: readonly LabError[];
}

export type LoadOptions = Pick<ParseOptions, 'mirrorImages'>;

/**
 * Loads every lab under `dir` (one folder per lab, each with a lab.md), and checks what they say
 * about each other (prerequisites, places in tracks). A lab with problems is left out and its
 * problems are returned. Ids are unique because each must equal its folder name.
 *
 * @example
 * const { labs, errors } = await loadLabCatalog('labs');
 * for (const e of errors) log.warn(formatLabError(e));
 */
export async function loadLabCatalog(dir: string, options: LoadOptions = {}): Promise<LabCatalog> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = join(dir, entry.name, LAB_FILE);
    if (await isFile(file)) files.push(file);
  }
  const results = await Promise.all(files.map((f) => loadLab(f, options)));
  const loaded = results.flatMap((r) => (r.lab ? [r.lab] : []));
  const course = checkCourse(loaded, files.map((f) => basename(dirname(f))));
  const errors = [...results.flatMap((r) => r.errors), ...course].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return Object.freeze({
    // A lab whose place in the course is wrong is left out too, as with any other problem.
    labs: Object.freeze(loaded.filter((lab) => !course.some((e) => e.file === lab.file))),
    errors: Object.freeze(errors),
  });
}

/** Loads one lab file; its folder name is the id it must declare. */
export async function loadLab(file: string, options: LoadOptions = {}): Promise<{ lab: Lab | undefined; errors: readonly LabError[] }> {
  const source = await readFile(file, 'utf8');
  return parseLab(file, source, { ...options, expectedId: basename(dirname(file)) });
}

export async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
