import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { describeSettings, renderConfigurationPage } from './config-docs.ts';

test('every setting has a meaning written next to it in config.ts', async () => {
  const missing = (await describeSettings()).filter((s) => !s.description).map((s) => s.key);
  assert.deepEqual(missing, [], 'add a doc comment above these settings in server/config/config.ts');
});

test('docs/configuration.md is the generated page (run `npm run docs:config` after changing settings)', async () => {
  const committed = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(committed, await renderConfigurationPage());
});
