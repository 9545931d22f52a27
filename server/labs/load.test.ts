import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { inlineLab, labFolder } from '../test-support/inline-lab.ts';
import { formatLabError } from './lab.ts';
import { mirroredRefs } from '../sandbox/images/catalog.ts';
import { loadLabCatalog } from './load.ts';

const STEP = `
  ## Pull
  \`\`\`check
  - kind: image-present
    image: hello-world
  \`\`\`
  ### Solution
  \`\`\`bash node1
  docker pull hello-world
  \`\`\`
`;

test('the catalog keeps valid labs and reports the others by file and line', async () => {
  await using labs = await labFolder({
    'good/lab.md': inlineLab(STEP, { id: 'good' }),
    'bad/lab.md': inlineLab(STEP, { id: 'bad', level: 'expert' }),
    'misnamed/lab.md': inlineLab(STEP, { id: 'other' }),
    'notes/README.md': 'not a lab folder',
  });
  const catalog = await loadLabCatalog(labs.dir);
  assert.deepEqual(catalog.labs.map((l) => l.id), ['good']);
  assert.deepEqual(catalog.errors.map(formatLabError), [
    `${join(labs.dir, 'bad/lab.md')}:5: front matter: "level": expected one of "beginner"|"intermediate"|"advanced"`,
    `${join(labs.dir, 'misnamed/lab.md')}:2: front matter: id "other" differs from the lab's folder name "misnamed": make them equal`,
  ]);
  assert.ok(Object.isFrozen(catalog.labs));
});

test('the labs of the repository load, the sample among them', async () => {
  const dir = fileURLToPath(new URL('../../labs/', import.meta.url));
  const mirrorImages = mirroredRefs().map((r) => `${r.repository}:${r.tag}`);
  const catalog = await loadLabCatalog(dir, { mirrorImages });
  assert.deepEqual(catalog.errors, []);
  const lab = catalog.labs.find((l) => l.id === 'sample-registry');
  assert.ok(lab);
  assert.deepEqual(lab.steps.map((s) => s.checks.map((c) => c.kind)), [['registry-answers'], ['registry-has-tag']]);
});
