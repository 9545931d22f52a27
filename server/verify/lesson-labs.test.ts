import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runVerify } from '../cli/verify-command.ts';

const LABS = fileURLToPath(new URL('../../labs/', import.meta.url));

// CI proves every lab under labs/ with `drydock verify`: the same run an instructor starts.
test('every lab in labs/ passes drydock verify', { timeout: 40 * 60_000 }, async () => {
  const lines: string[] = [];
  const reports = await runVerify({ labsDir: LABS, labIds: [], print: (line) => (lines.push(line), console.log(line)) });
  assert.ok(reports, `the labs did not load:\n${lines.join('\n')}`);
  const failed = reports.filter((r) => !r.passed).map((r) => r.labId);
  assert.deepEqual(failed, [], lines.join('\n'));
});
