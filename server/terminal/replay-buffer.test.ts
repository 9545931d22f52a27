import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayBuffer } from './replay-buffer.ts';

test('keeps everything while it fits', () => {
  const r = new ReplayBuffer(64);
  r.push(Buffer.from('hello '));
  r.push(Buffer.from('world'));
  assert.equal(r.snapshot().toString(), 'hello world');
});

test('keeps the newest bytes and starts replay on a line boundary once trimmed', () => {
  const r = new ReplayBuffer(16);
  r.push(Buffer.from('line one\n'));
  r.push(Buffer.from('line two\nline three\n'));
  assert.equal(r.size, 16);
  assert.equal(r.snapshot().toString(), 'line three\n', 'the partial "two" line is left out');
});

test('wraps around many times and stays in order', () => {
  const r = new ReplayBuffer(10_000);
  let all = '';
  for (let i = 0; i < 5_000; i++) {
    const line = `${i}\n`;
    all += line;
    r.push(Buffer.from(line));
  }
  const snap = r.snapshot().toString();
  assert.ok(all.endsWith(snap));
  assert.ok(snap.length > 9_990 - 6 && snap.startsWith('3'), 'starts at a whole line near the cut');
});

test('a chunk larger than the capacity keeps its tail', () => {
  const r = new ReplayBuffer(8);
  r.push(Buffer.from('abc\n0123456789'));
  assert.equal(r.snapshot().toString(), '23456789');
});

test('never starts inside a multi-byte character', () => {
  const r = new ReplayBuffer(7);
  r.push(Buffer.from('ééééé')); // 10 bytes, no newline: the cut lands mid-character
  assert.equal(r.snapshot().toString(), 'ééé');
});

test('grows on demand: a quiet terminal holds a few KiB, not the capacity', () => {
  const r = new ReplayBuffer(1024 * 1024);
  r.push(Buffer.from('$ '));
  const storage = (r as unknown as { data: Buffer }).data.length;
  assert.ok(storage <= 4096, `storage ${storage}`);
});

test('clear forgets everything', () => {
  const r = new ReplayBuffer(8);
  r.push(Buffer.from('0123456789'));
  r.clear();
  r.push(Buffer.from('ab'));
  assert.equal(r.snapshot().toString(), 'ab');
});
