import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FOLDERS = ['server', 'checks', 'shared', 'web/src', 'e2e', 'bench'];
/** Static imports and re-exports with a relative path; `import type` counts too: a type circle is still a knot. */
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, folder), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => resolve(e.parentPath, e.name));
}

/** Every import circle, each once, as the files along it. */
function circles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const circle = path.slice(path.indexOf(next));
        found.set([...circle].sort().join(' '), circle);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

// Layers that import each other in a circle cannot be read, tested or moved one at a time.
test('no import circles in the code', async () => {
  const files = (await Promise.all(FOLDERS.map(sourceFiles))).flat();
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    graph.set(
      file,
      [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1]!)),
    );
  }
  assert.ok(graph.size > 100, `read ${graph.size} files`);
  const found = circles(graph).map((circle) => [...circle, circle[0]!].map((f) => relative(ROOT, f)).join(' → '));
  assert.deepEqual(found, []);
});
