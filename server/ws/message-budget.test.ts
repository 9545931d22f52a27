import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageBudget, SOCKET_BUDGET } from './message-budget.ts';

const LIMITS = { messagesPerSecond: 10, messageBurst: 20, bytesPerSecond: 1000, byteBurst: 2000, penaltyMs: 5000 };

test('takes the burst at once, then the rate, counting messages and bytes apart', () => {
  let now = 0;
  const budget = new MessageBudget(LIMITS, () => now);
  for (let i = 0; i < 20; i++) assert.equal(budget.spend(1), true, `message ${i} of the burst`);
  assert.equal(budget.spend(1), false, 'the 21st at the same instant');
  now = 100;
  assert.equal(budget.spend(1), true, 'one more after a tenth of a second');
  assert.equal(budget.spend(1), false);
  now = 60_000;
  assert.equal(budget.spend(1990), true, 'refilled to the burst, no more');
  assert.equal(budget.spend(11), false, 'bytes spent while messages remain');
  assert.equal(budget.spend(1), true);
});

test('a penalty refuses everything for its length, then the budget starts from empty', () => {
  let now = 0;
  const budget = new MessageBudget(LIMITS, () => now);
  budget.penalize();
  assert.equal(budget.blockedForMs, 5000);
  now = 4999;
  assert.equal(budget.spend(1), false);
  now = 5000;
  assert.equal(budget.blockedForMs, 0);
  assert.equal(budget.spend(1), false, 'nothing has refilled yet');
  now = 5100;
  assert.equal(budget.spend(1), true);
});

test('a person never meets the budget: 100 keys a second for a minute, with a 64 KiB paste every second', () => {
  let now = 0;
  const budget = new MessageBudget(SOCKET_BUDGET, () => now);
  for (let ms = 0; ms < 60_000; ms += 10) {
    now = ms;
    assert.equal(budget.spend(45), true);
    if (ms % 1000 === 0) for (let i = 0; i < 4; i++) assert.equal(budget.spend(16 * 1024 + 40), true);
  }
});
