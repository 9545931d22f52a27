import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionLimits } from './session-limits.ts';

test('one client cannot take more than its share, and the total is a hard cap', () => {
  const limits = new SessionLimits({ perClient: 2, total: 3 });
  const a1 = limits.reserve('a');
  limits.reserve('a');
  assert.throws(() => limits.reserve('a'), { code: 'DD_SESSION_LIMIT', message: /already have 2 lab sessions running/ });
  limits.reserve('b');
  assert.throws(() => limits.reserve('c'), { code: 'DD_SANDBOX_CAPACITY', message: /all 3 lab places are taken/ });
  a1();
  a1();
  assert.equal(limits.running, 2, 'releasing twice gives back one place');
  limits.reserve('c');
});
