import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StuckWatch } from './stuck-watch.ts';

const policy = { afterMs: 600_000, failures: 3 };
const fail = (message: string) => ({ passed: false, message });

test('no progress for the set time is stuck; moving on starts over', () => {
  const watch = new StuckWatch(policy, 0);
  assert.equal(watch.stuck(599_999, false), null);
  assert.deepEqual(watch.stuck(600_000, false), { reason: 'no-progress', text: 'no step passed for over 10 minutes', since: 600_000 });
  assert.equal(watch.stuck(700_000, true), null, 'a finished lab is never stuck');
  watch.at(1, 650_000);
  assert.equal(watch.stuck(700_000, false), null);
  assert.deepEqual(watch.current, { index: 1, since: 650_000 });
});

test('the same check failing on the learner’s own tries, in a row, is stuck', () => {
  const watch = new StuckWatch(policy, 0);
  watch.checked(0, fail('no registry answers on 5000'), true, 10);
  watch.checked(0, fail('no registry answers on 5000'), true, 20);
  assert.equal(watch.stuck(30, false), null);
  watch.checked(0, fail('no registry answers on 5000'), false, 25);
  assert.equal(watch.stuck(30, false), null, 'the timer’s checks do not count');
  watch.checked(0, fail('no registry answers on 5000'), true, 30);
  assert.deepEqual(watch.stuck(40, false), { reason: 'repeated-failure', text: 'the same check failed 3 times in a row', since: 30 });
});

test('another check failing, a pass, or the next step breaks the run', () => {
  const watch = new StuckWatch(policy, 0);
  const tries = (message: string, n: number) => {
    for (let i = 0; i < n; i++) watch.checked(0, fail(message), true, 1);
  };
  tries('a', 2);
  tries('b', 2);
  assert.equal(watch.stuck(2, false), null);
  tries('b', 1);
  assert.equal(watch.stuck(2, false)?.reason, 'repeated-failure');
  watch.checked(0, { passed: true, message: '' }, true, 3);
  assert.equal(watch.stuck(4, false), null);
  tries('c', 3);
  watch.at(1, 5);
  assert.equal(watch.stuck(6, false), null);
  watch.checked(0, fail('c'), true, 7);
  assert.equal(watch.stuck(8, false), null, 'a result for a step the learner left is ignored');
});
