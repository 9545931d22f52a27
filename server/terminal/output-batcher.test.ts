import assert from 'node:assert/strict';
import { beforeEach, afterEach, mock, test } from 'node:test';
import { OutputBatcher } from './output-batcher.ts';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

function batcher(maxBytes = 1024) {
  const sent: string[] = [];
  const b = new OutputBatcher((batch, bytes) => sent.push(Buffer.concat(batch, bytes).toString()), { delayMs: 5, maxBytes });
  return { sent, b };
}

test('sends the first chunk after a quiet spell at once', () => {
  const { sent, b } = batcher();
  b.push(Buffer.from('a'));
  assert.deepEqual(sent, ['a']);
  mock.timers.tick(5);
  b.push(Buffer.from('b'));
  assert.deepEqual(sent, ['a', 'b'], 'after a quiet window the next echo is immediate too');
});

test('collects continuous output into one batch per window', () => {
  const { sent, b } = batcher();
  b.push(Buffer.from('1'));
  b.push(Buffer.from('2'));
  b.push(Buffer.from('3'));
  assert.deepEqual(sent, ['1']);
  mock.timers.tick(5);
  assert.deepEqual(sent, ['1', '23']);
  b.push(Buffer.from('4'));
  mock.timers.tick(5);
  assert.deepEqual(sent, ['1', '23', '4'], 'the window stays open while output keeps coming');
  mock.timers.tick(5);
  b.push(Buffer.from('5'));
  assert.deepEqual(sent, ['1', '23', '4', '5']);
});

test('sends a full batch without waiting for the window', () => {
  const { sent, b } = batcher(4);
  b.push(Buffer.from('x'));
  b.push(Buffer.from('ab'));
  b.push(Buffer.from('cd'));
  assert.deepEqual(sent, ['x', 'abcd']);
});

test('discard drops the waiting output; drain sends it', () => {
  const { sent, b } = batcher();
  b.push(Buffer.from('x'));
  b.push(Buffer.from('lost'));
  b.discard();
  mock.timers.tick(50);
  assert.deepEqual(sent, ['x']);
  b.push(Buffer.from('y'));
  b.push(Buffer.from('kept'));
  b.drain();
  assert.deepEqual(sent, ['x', 'y', 'kept']);
});
