import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLICY_VIOLATION, ReconnectPolicy, SERVICE_RESTART } from './reconnect-policy.ts';

const ABNORMAL = 1006; // a dropped connection: a server restart, a network blip

/** One failed attempt: the socket closes before it opens, and the policy names the next wait. */
function failOnce(policy: ReconnectPolicy): number | undefined {
  policy.connecting();
  assert.equal(policy.closed(ABNORMAL), 'retry');
  return policy.nextDelayMs();
}

test('waits double from 250 ms after each failed attempt, up to 5 s', () => {
  const policy = new ReconnectPolicy();
  assert.equal(policy.connecting(), 'connecting');
  policy.opened();
  const delays = Array.from({ length: 8 }, () => failOnce(policy));
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
});

test('a connection that opens starts the back-off over', () => {
  const policy = new ReconnectPolicy();
  failOnce(policy);
  failOnce(policy);
  assert.equal(policy.connecting(), 'reconnecting', 'the learner is told it is a reconnect');
  policy.opened();
  assert.equal(policy.closed(ABNORMAL), 'retry');
  assert.equal(policy.nextDelayMs(), 250);
  assert.equal(policy.connecting(), 'reconnecting');
  policy.opened();
  assert.equal(failOnce(policy), 250);
});

test('a 1008 close (a flood, a broken protocol) stops reconnecting, with the server’s reason', () => {
  const policy = new ReconnectPolicy();
  policy.connecting();
  policy.opened();
  assert.equal(policy.closed(POLICY_VIOLATION), 'refused');
  assert.equal(policy.nextDelayMs(), undefined);
  assert.equal(policy.closed(ABNORMAL), 'stopped', 'and stays stopped');
  assert.equal(policy.connecting(), 'connecting', 'until the learner connects again');
  assert.equal(policy.closed(ABNORMAL), 'retry');
});

test('after the session ended or the page closed, a close is final', () => {
  const policy = new ReconnectPolicy();
  policy.connecting();
  policy.opened();
  policy.stop();
  assert.equal(policy.closed(1000), 'stopped');
  assert.equal(policy.closed(ABNORMAL), 'stopped');
  assert.equal(policy.nextDelayMs(), undefined);
});

test('stopping while the session is looked up cancels the retry', () => {
  const policy = new ReconnectPolicy();
  policy.connecting();
  assert.equal(policy.closed(ABNORMAL), 'retry');
  policy.stop(); // the page closed while lost() was pending
  assert.equal(policy.nextDelayMs(), undefined);
});

test('a 1012 close (the server restarting) is retried with the back-off until the server is back', () => {
  const policy = new ReconnectPolicy();
  policy.connecting();
  policy.opened();
  assert.equal(policy.closed(SERVICE_RESTART), 'restarting');
  assert.equal(policy.nextDelayMs(), 250);
  // While the server is down, every attempt fails as a dropped connection, and is tried again.
  assert.deepEqual(
    Array.from({ length: 6 }, () => failOnce(policy)),
    [500, 1000, 2000, 4000, 5000, 5000],
  );
  policy.connecting();
  policy.opened();
  assert.equal(policy.closed(ABNORMAL), 'retry');
  assert.equal(policy.nextDelayMs(), 250, 'back at the shortest wait once it was back');
});
