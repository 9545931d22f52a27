import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DtachOutputFilter } from './dtach-output.ts';

const run = (chunks: string[]) => {
  const filter = new DtachOutputFilter();
  return chunks.map((c) => filter.filter(Buffer.from(c, 'latin1')).toString('latin1'));
};

test("dtach's clear on attach is taken out once: the first in the stream, after any early echo", () => {
  assert.deepEqual(run(['\x1b[H\x1b[Jprompt$ ', '\x1b[H\x1b[Jclear']), ['prompt$ ', '\x1b[H\x1b[Jclear'], 'a later clear is the program’s own');
  assert.deepEqual(run(['typed early\r\n', 'typed\x1b[H\x1b[Jprompt$ ']), ['typed early\r\n', 'typedprompt$ ']);
});

test("dtach's end notice is taken from the end of the stream, the cursor shown again kept", () => {
  assert.deepEqual(run(['logout\r\n\x1b[999H\r\n[EOF - dtach terminating]\r\n\x1b[?25h']), ['logout\r\n\x1b[?25h']);
  assert.deepEqual(run(['logout\r\n\x1b[999H\r\n[EOF - dtach terminating]\r\n', '\x1b[?25h']), ['logout\r\n', '\x1b[?25h']);
  assert.deepEqual(
    run(['logout\r\n\x1b[999H\r\n', '[EOF - dtach terminating]\r\n', '\x1b[?25h']),
    ['logout\r\n', '', '\x1b[?25h'],
    'written line by line, it arrives in pieces',
  );
  assert.deepEqual(run(['top\x1b[999H\r\n', 'more']), ['top', '\x1b[999H\r\nmore'], 'held back only until the next chunk says it was not');
  const quoted = 'echo "[EOF - dtach terminating]" in the middle\r\n';
  assert.deepEqual(run([quoted]), [quoted], 'the same words elsewhere are the learner’s');
});
