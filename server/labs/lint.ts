import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabError } from './lab.ts';
import { isFile, LAB_FILE, loadLab, loadLabCatalog, type LoadOptions } from './load.ts';

export interface LintReport {
  /** Lab files read. */
  files: number;
  errors: readonly LabError[];
}

/**
 * Validates labs at `path`: a folder of lab folders (`labs/`), one lab folder, or one lab file.
 * What `drydock lint` runs; the same checks as the server's loader.
 */
export async function lintLabs(path: string, options: LoadOptions = {}): Promise<LintReport> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return { files: 0, errors: [{ file: path, line: 0, message: 'no such file or folder' }] };
  const single = info.isFile() ? path : (await isFile(join(path, LAB_FILE))) ? join(path, LAB_FILE) : undefined;
  if (single) return { files: 1, errors: (await loadLab(single, options)).errors };
  const catalog = await loadLabCatalog(path, options);
  const files = catalog.labs.length + new Set(catalog.errors.map((e) => e.file)).size;
  if (files === 0) return { files, errors: [{ file: path, line: 0, message: `no lab here: a lab is a folder with a ${LAB_FILE}` }] };
  return { files, errors: catalog.errors };
}

