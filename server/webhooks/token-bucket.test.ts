import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBuckets } from './token-bucket.ts';

test('a key takes its burst, then its rate, and says how long to wait; other keys are untouched', () => {
  let now = 0;
  const buckets = new TokenBuckets(3, 2, () => now);
  assert.deepEqual([buckets.take('a'), buckets.take('a'), buckets.take('a')], [0, 0, 0]);
  assert.equal(buckets.take('a'), 0.5);
  assert.equal(buckets.take('b'), 0);
  now = 500;
  assert.equal(buckets.take('a'), 0);
  assert.ok(buckets.take('a') > 0);
  now = 60_000;
  assert.deepEqual(
    [buckets.take('a'), buckets.take('a'), buckets.take('a'), buckets.take('a') > 0],
    [0, 0, 0, true],
    'refills to its burst, no more',
  );
  assert.equal(buckets.describe(), '3 at once, then 2 a second');
});

test('forgets quiet keys once there are many, but never a key that is still limited', () => {
  let now = 0;
  const buckets = new TokenBuckets(1, 1, () => now, 10);
  for (let i = 0; i < 20; i++) buckets.take(`quiet-${i}`);
  assert.equal(buckets.size, 20, 'nothing to forget while every key is limited');
  now = 1500;
  buckets.take('busy');
  buckets.take('one-more');
  assert.equal(buckets.size, 2, 'refilled keys are forgotten');
  assert.ok(buckets.take('busy') > 0, 'the limited key kept its empty bucket');
});
