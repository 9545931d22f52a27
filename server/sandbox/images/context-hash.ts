import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * A digest of a build context: every file's path, mode and bytes. An image labelled with the
 * same digest (and built on the same base) is current and is not built again.
 */
export async function hashContext(dir: string, salt: string): Promise<string> {
  const hash = createHash('sha256').update(salt);
  for (const file of await listFiles(dir)) {
    const info = await stat(file);
    hash.update(`${relative(dir, file)}\0${info.mode & 0o777}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 32);
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listFiles(path)));
    else if (e.isFile() || e.isSymbolicLink()) files.push(path);
  }
  return files;
}
