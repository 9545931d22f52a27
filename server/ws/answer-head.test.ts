import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { MAX_HEAD_BYTES, parseAnswerHead, readAnswerHead, serializeAnswerHead } from './answer-head.ts';

test('an answer head is parsed, and the bytes after it kept', () => {
  const head = parseAnswerHead(Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSet-Cookie:  a=1 \r\n\r\n\x81\x00', 'latin1'));
  assert.deepEqual(head && { ...head, rest: [...head.rest] }, {
    statusLine: 'HTTP/1.1 101 Switching Protocols',
    raw: ['Upgrade', 'websocket', 'Set-Cookie', 'a=1'],
    rest: [0x81, 0],
  });
  assert.equal(serializeAnswerHead(head!.statusLine, [['Upgrade', 'websocket']]), 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n');
  assert.equal(parseAnswerHead(Buffer.from('HTTP/1.1 101 Switching')), undefined, 'not complete yet');
});

test('malformed or oversized heads are refused', () => {
  for (const text of ['SSH-2.0-x\r\n\r\n', 'HTTP/1.1 101 OK\r\nno colon\r\n\r\n', 'HTTP/1.1 101 OK\r\nA: b\r\n folded\r\n\r\n']) {
    assert.throws(() => parseAnswerHead(Buffer.from(text)), { name: 'AnswerHeadError' }, JSON.stringify(text));
  }
  assert.throws(() => parseAnswerHead(Buffer.alloc(MAX_HEAD_BYTES + 1, 'a')), /over 16384 bytes/);
});

test('a head that arrives in pieces is read whole', async () => {
  const source = new PassThrough();
  const reading = readAnswerHead(source);
  source.write('HTTP/1.1 101 OK\r\nA: ');
  source.write('b\r\n\r\nrest');
  const head = await reading;
  assert.deepEqual([head.raw, head.rest.toString()], [['A', 'b'], 'rest']);
  const early = readAnswerHead(new PassThrough().end('HTTP/1.1 101'));
  await assert.rejects(early, /closed the connection/);
});
