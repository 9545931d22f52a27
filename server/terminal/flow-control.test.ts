import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowControl } from './flow-control.ts';

function recorder() {
  const calls: string[] = [];
  return { calls, source: { pause: () => calls.push('pause'), resume: () => calls.push('resume') } };
}

test('pauses above the high mark and resumes only below the low mark', () => {
  const { calls, source } = recorder();
  const flow = new FlowControl({ highBytes: 100, lowBytes: 20 }, source);
  flow.sent(60);
  flow.sent(40);
  assert.deepEqual(calls, [], 'exactly at the high mark keeps flowing');
  flow.sent(1);
  flow.sent(50);
  assert.deepEqual(calls, ['pause'], 'pauses once');
  flow.acked(100);
  assert.equal(flow.pendingBytes, 51);
  assert.deepEqual(calls, ['pause'], 'between the marks stays paused');
  flow.acked(40);
  assert.deepEqual(calls, ['pause', 'resume']);
  assert.equal(flow.isPaused, false);
});

test('an over-acknowledging client cannot drive the count below zero', () => {
  const { source } = recorder();
  const flow = new FlowControl({ highBytes: 100, lowBytes: 20 }, source);
  flow.sent(10);
  flow.acked(1_000_000);
  assert.equal(flow.pendingBytes, 0);
  flow.sent(101);
  assert.equal(flow.isPaused, true, 'still pauses after the bogus acknowledgement');
});

test('reset resumes a paused source and starts counting from zero', () => {
  const { calls, source } = recorder();
  const flow = new FlowControl({ highBytes: 10, lowBytes: 5 }, source);
  flow.sent(11);
  flow.reset();
  assert.deepEqual(calls, ['pause', 'resume']);
  assert.equal(flow.pendingBytes, 0);
  flow.reset();
  assert.deepEqual(calls, ['pause', 'resume'], 'a second reset does not resume twice');
});

test('refuses marks that could never resume', () => {
  assert.throws(() => new FlowControl({ highBytes: 10, lowBytes: 10 }, recorder().source), /low mark must be below/);
});
