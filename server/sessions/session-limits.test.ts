import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionLimits } from './session-limits.ts';

const at = (learnerId: string, address = '10.0.0.1') => ({ learnerId, address });

test('one learner cannot take more than its share, and the total is a hard cap', () => {
  const limits = new SessionLimits({ perLearner: 2, perAddress: 10, total: 3 });
  const a1 = limits.reserve(at('a'));
  limits.reserve(at('a'));
  assert.throws(() => limits.reserve(at('a', '10.0.0.2')), { code: 'DD_SESSION_LIMIT', message: /already have 2 lab sessions running/ });
  limits.reserve(at('b'));
  assert.throws(() => limits.reserve(at('c')), { code: 'DD_SANDBOX_CAPACITY', message: /all 3 lab places are taken/ });
  a1();
  a1();
  assert.equal(limits.running, 2, 'releasing twice gives back one place');
  limits.reserve(at('c'));
});

test('learners behind one address each get their share, up to the address ceiling', () => {
  const limits = new SessionLimits({ perLearner: 2, perAddress: 5, total: 100 });
  for (const learner of ['a', 'b']) {
    limits.reserve(at(learner));
    limits.reserve(at(learner));
  }
  const c1 = limits.reserve(at('c'));
  assert.throws(() => limits.reserve(at('c')), { code: 'DD_SESSION_LIMIT', message: /5 lab sessions are already running from your network address/ });
  limits.reserve(at('d', '10.0.0.9'));
  c1();
  limits.reserve(at('c'));
});
