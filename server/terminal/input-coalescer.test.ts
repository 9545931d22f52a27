import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputCoalescer } from './input-coalescer.ts';

test('input pushed together is written once, in order; input pushed later is a new write', () => {
  const writes: (string | Uint8Array)[] = [];
  const scheduled: (() => void)[] = [];
  const coalescer = new InputCoalescer(
    (d) => writes.push(d),
    (f) => scheduled.push(f),
  );
  for (const key of 'echo hi\r') coalescer.push(key);
  assert.equal(coalescer.pendingBytes, 8);
  assert.equal(scheduled.length, 1, 'one flush for the burst');
  scheduled.shift()!();
  coalescer.push('\x03');
  scheduled.shift()!();
  assert.deepEqual(writes, ['echo hi\r', '\x03']);
  assert.equal(coalescer.pendingBytes, 0);
});

test('discarded input is never written', () => {
  const writes: (string | Uint8Array)[] = [];
  const scheduled: (() => void)[] = [];
  const coalescer = new InputCoalescer(
    (d) => writes.push(d),
    (f) => scheduled.push(f),
  );
  coalescer.push('rm -rf /tmp/x\r');
  coalescer.discard();
  scheduled.shift()!();
  assert.deepEqual(writes, []);
});

test('by default the write happens before any timer or I/O, right after the current task', async () => {
  const writes: (string | Uint8Array)[] = [];
  const coalescer = new InputCoalescer((d) => writes.push(d));
  coalescer.push('a');
  coalescer.push('b');
  assert.deepEqual(writes, []);
  await Promise.resolve();
  assert.deepEqual(writes, ['ab']);
});

test('bytes are written as they are, joined with the text around them', () => {
  const writes: (string | Uint8Array)[] = [];
  const scheduled: (() => void)[] = [];
  const coalescer = new InputCoalescer(
    (d) => writes.push(d),
    (f) => scheduled.push(f),
  );
  coalescer.push('é');
  coalescer.push(Uint8Array.of(0x1b, 0x5b, 0x4d, 0x20, 0x80, 0x21));
  assert.equal(coalescer.pendingBytes, 7);
  scheduled.shift()!();
  coalescer.push(Uint8Array.of(0xff));
  scheduled.shift()!();
  assert.deepEqual(
    writes.map((w) => [...Buffer.from(w)]),
    [[0xc3, 0xa9, 0x1b, 0x5b, 0x4d, 0x20, 0x80, 0x21], [0xff]],
  );
});
