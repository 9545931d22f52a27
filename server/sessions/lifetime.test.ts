import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lifetime } from './lifetime.ts';

const minute = 60_000;
const policy = { initialMs: 30 * minute, extendMs: 15 * minute, maxMs: 60 * minute, idleMs: 10 * minute };

test('a session expires at its deadline unless extended, and never past the maximum', () => {
  const life = new Lifetime(policy, 0);
  assert.equal(life.expiresAt, 30 * minute);
  life.extend(20 * minute);
  assert.equal(life.expiresAt, 45 * minute);
  life.extend(21 * minute);
  assert.equal(life.expiresAt, 60 * minute, 'capped at the maximum lifetime');
  assert.throws(() => life.extend(22 * minute), { code: 'DD_SESSION_EXTEND_LIMIT', message: /limit of 1 h/ });
  life.touch(59 * minute);
  assert.equal(life.expiry(60 * minute - 1), undefined);
  assert.equal(life.expiry(60 * minute), 'expired');
});

test('a session nobody touches for the idle time is idle; activity postpones that', () => {
  const life = new Lifetime(policy, 0);
  assert.equal(life.expiry(10 * minute - 1), undefined);
  assert.equal(life.expiry(10 * minute), 'idle');
  life.touch(9 * minute);
  assert.equal(life.expiry(18 * minute), undefined);
  life.touch(5 * minute);
  assert.equal(life.expiry(19 * minute), 'idle', 'an out-of-order touch does not move activity back');
});

test('an initial time above the maximum is capped', () => {
  assert.equal(new Lifetime({ ...policy, initialMs: 2 * policy.maxMs }, 5).expiresAt, 5 + policy.maxMs);
});

test('a session taken over after a restart keeps its start and deadline; its idle time starts at the takeover', () => {
  const life = new Lifetime(policy, 40 * minute, { startedAt: 0, expiresAt: 45 * minute });
  assert.equal(life.startedAt, 0);
  assert.equal(life.expiresAt, 45 * minute);
  assert.equal(life.maxExpiresAt, 60 * minute);
  assert.equal(life.expiry(44 * minute), undefined, 'not idle: the server was away, not the learner');
  assert.equal(life.expiry(45 * minute), 'expired');
});
