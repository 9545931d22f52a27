import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandMarkerScanner } from './command-marker.ts';

const mark = (code: string) => `\x1b]133;D;${code}\x07`;

test('finds every mark with its exit code', () => {
  const s = new CommandMarkerScanner();
  assert.deepEqual(s.scan(Buffer.from(`out\r\n${mark('0')}$ ls\r\n${mark('127')}\x1b[1;32mroot@node1`)), [0, 127]);
  assert.deepEqual(s.scan(Buffer.from('\x1b]133;D\x1b\\')), [0], 'no exit code, ST terminator');
});

test('finds a mark split across chunks at any point', () => {
  const whole = `abc${mark('42')}def`;
  for (let cut = 1; cut < whole.length; cut++) {
    const s = new CommandMarkerScanner();
    const found = [...s.scan(Buffer.from(whole.slice(0, cut))), ...s.scan(Buffer.from(whole.slice(cut)))];
    assert.deepEqual(found, [42], `cut at ${cut}`);
  }
});

test('ignores look-alikes and other OSC 133 marks', () => {
  const s = new CommandMarkerScanner();
  assert.deepEqual(s.scan(Buffer.from('\x1b]133;A\x07\x1b]133;D;x\x07\x1b]133;Dz')), []);
  assert.deepEqual(s.scan(Buffer.from(mark('1'))), [1], 'the carried look-alike does not swallow a real mark');
});
