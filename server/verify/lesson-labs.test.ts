import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runVerify, type VerifyRunOptions } from '../cli/verify-command.ts';

const LABS = fileURLToPath(new URL('../../labs/', import.meta.url));

async function verifyAll(options: Pick<VerifyRunOptions, 'labIds' | 'poolSize'>): Promise<void> {
  const lines: string[] = [];
  // Two labs side by side: each in its own session, as two learners would be.
  const reports = await runVerify({ labsDir: LABS, jobs: 2, ...options, print: (line) => (lines.push(line), console.log(line)) });
  assert.ok(reports, `the labs did not load:\n${lines.join('\n')}`);
  const failed = reports.filter((r) => !r.passed).map((r) => r.labId);
  assert.deepEqual(failed, [], lines.join('\n'));
}

// CI proves every lab under labs/ with `drydock verify`: the same run an instructor starts, with
// the warm pool on as learners get it.
test('every lab in labs/ passes drydock verify', { timeout: 40 * 60_000 }, () => verifyAll({ labIds: [] }));

// Without a pool every host is created on its session's network: the multi-host labs, where the
// two paths differ (names, DNS, the swarm), are proved that way too.
test('the multi-host labs pass drydock verify with the pool off', { timeout: 20 * 60_000 }, () =>
  verifyAll({ labIds: ['registry-swarm', 'registry-pull-through-cache'], poolSize: 0 }),
);
