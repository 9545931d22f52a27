import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerClock, formatElapsed } from './elapsed.ts';

test('elapsed time reads as seconds, then minutes and seconds, then hours and minutes', () => {
  assert.equal(formatElapsed(-5_000), '0 s', 'a server clock slightly ahead never shows a negative time');
  assert.equal(formatElapsed(59_999), '59 s');
  assert.equal(formatElapsed(60_000), '1 min 00 s');
  assert.equal(formatElapsed(3 * 60_000 + 5_000), '3 min 05 s');
  assert.equal(formatElapsed(72 * 60_000 + 30_000), '1 h 12 min');
});

test('the server clock follows serverNow, whatever the local clock says', () => {
  let local = 1_000_000;
  const clock = new ServerClock(() => local);
  clock.sync(5_000_000);
  local += 2_500;
  assert.equal(clock.serverTime(), 5_002_500);
});
