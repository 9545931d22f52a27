import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../logging/logger.ts';
import { openStore } from '../store/open-store.ts';
import { capturingLogger } from '../test-support/capturing-logger.ts';
import { InstructorSecret, SECRET_SETTING } from './instructor-secret.ts';

const dir = await mkdtemp(join(tmpdir(), 'drydock-instructor-secret-'));
after(() => rm(dir, { recursive: true, force: true }));

test('without a configured secret, one is made at the first start, printed once, and kept only as a digest', async () => {
  const store = openStore(dir, createLogger('silent'));
  try {
    const first = capturingLogger();
    const secret = await InstructorSecret.load('', store, first.log);
    const printed = first.lines().map((l) => l.msg);
    assert.equal(printed.length, 1);
    const shown = /shown this once: ([\w-]{24})\n/.exec(printed[0]!)?.[1];
    assert.ok(shown, printed[0]);
    assert.match(printed[0]!, /DRYDOCK_INSTRUCTOR_SECRET/, 'it says how to choose one’s own');
    assert.ok(secret.matches(shown));
    assert.ok(!secret.matches(shown + 'x'));
    const kept = await store.getSetting(SECRET_SETTING);
    assert.match(kept ?? '', /^[0-9a-f]{64}$/);
    assert.ok(!kept!.includes(shown));

    const again = capturingLogger();
    const reloaded = await InstructorSecret.load('', store, again.log);
    assert.deepEqual(again.lines(), [], 'printed once only');
    assert.ok(reloaded.matches(shown));

    const chosen = await InstructorSecret.load('my own secret phrase', store, again.log);
    assert.ok(chosen.matches('my own secret phrase') && !chosen.matches(shown), 'a configured secret wins');
  } finally {
    await store.close();
  }
});
