import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DrydockError } from '../errors/drydock-error.ts';
import { GuessLimit } from './guess-limit.ts';

test('wrong guesses past the allowance make the address wait; others are not affected', () => {
  let now = 0;
  const limit = new GuessLimit(3, 6, 'codes', () => now);
  for (let i = 0; i < 3; i++) {
    limit.assertAllowed('a');
    limit.wrong('a');
  }
  limit.assertAllowed('a');
  limit.wrong('a');
  assert.throws(
    () => limit.assertAllowed('a'),
    (e: DrydockError) => e.code === 'DD_GUESS_RATE_LIMITED',
  );
  limit.assertAllowed('b');
  now += 9_000;
  assert.throws(() => limit.assertAllowed('a'));
  now += 1_000;
  limit.assertAllowed('a');
});

test('right answers cost nothing', () => {
  const limit = new GuessLimit(1, 1, 'codes', () => 0);
  for (let i = 0; i < 100; i++) limit.assertAllowed('classroom');
});
