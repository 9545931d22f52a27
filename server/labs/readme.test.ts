import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { z } from 'zod';
import { CHECK_KINDS } from '../../checks/kinds/index.ts';

// The format reference must not fall behind the code: every kind and parameter is documented.
test('labs/README.md documents every check kind and its parameters', async () => {
  const readme = await readFile(new URL('../../labs/README.md', import.meta.url), 'utf8');
  const sections = new Map(readme.split(/^### /m).slice(1).map((s) => [/^`([^`]+)`/.exec(s)?.[1] ?? '', s]));
  const shared = readme.slice(readme.indexOf('### Registry addresses'), readme.indexOf('### `registry-answers`'));
  for (const [name, kind] of CHECK_KINDS) {
    const section = sections.get(name);
    assert.ok(section, `no "### \`${name}\`" section`);
    const params = kind.params instanceof z.ZodObject ? Object.keys(kind.params.shape) : [];
    for (const param of params) assert.ok(section.includes(`\`${param}\``) || shared.includes(`\`${param}\``), `${name}: parameter ${param} is not documented`);
  }
});
