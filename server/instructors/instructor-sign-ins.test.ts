import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../logging/logger.ts';
import { openStore } from '../store/open-store.ts';
import { InstructorSecret } from './instructor-secret.ts';
import { InstructorSignIns } from './instructor-sign-ins.ts';

const SECRET = 'a secret of the instructors';
const HOUR = 3600_000;
const silent = createLogger('silent');
const dir = await mkdtemp(join(tmpdir(), 'drydock-sign-ins-'));
after(() => rm(dir, { recursive: true, force: true }));

/** A server's start: the store opened, the secret and the sign-ins loaded from it, at a time of the test's choosing. */
async function start(at: { now: number }) {
  const store = openStore(dir, silent);
  const secret = await InstructorSecret.load(SECRET, store, silent);
  const signIns = await InstructorSignIns.load(secret, 12 * HOUR, store, silent, () => at.now);
  return { store, signIns };
}

test('a sign-in outlives a restart until it expires; a sign-out is kept too; the store holds only digests', async () => {
  const clock = { now: 1_000_000 };
  const first = await start(clock);
  const kept = first.signIns.signIn(SECRET, '203.0.113.1');
  const signedOut = first.signIns.signIn(SECRET, '203.0.113.1');
  first.signIns.signOut(signedOut);
  const stored = await first.store.signIns();
  assert.deepEqual(stored, [{ tokenDigest: createHash('sha256').update(kept).digest('hex'), expiresAt: clock.now + 12 * HOUR }]);
  await first.store.close();

  clock.now += 11 * HOUR;
  const second = await start(clock);
  assert.ok(second.signIns.isSignedIn(kept), 'signed in after the restart');
  assert.ok(!second.signIns.isSignedIn(signedOut), 'still signed out after the restart');
  assert.ok(!second.signIns.isSignedIn('made-up'));
  await second.store.close();

  clock.now += 2 * HOUR;
  const third = await start(clock);
  assert.ok(!third.signIns.isSignedIn(kept), 'expired');
  assert.deepEqual(await third.store.signIns(), [], 'expired sign-ins are removed from the store at start');
  await third.store.close();
});
