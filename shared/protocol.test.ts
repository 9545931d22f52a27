import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS, decodeOutputFrame, encodeOutputFrame, parseClientMessage, parseServerMessage } from './protocol.ts';

test('valid client messages parse to their typed form', () => {
  assert.deepEqual(parseClientMessage('{"type":"input","host":"node1","data":"ls\\r"}'), {
    ok: true,
    message: { type: 'input', host: 'node1', data: 'ls\r' },
  });
  assert.deepEqual(parseClientMessage('{"type":"check"}'), { ok: true, message: { type: 'check' } });
  assert.deepEqual(parseClientMessage('{"type":"input","host":"node1","data":"G1tNIIAh","encoding":"base64"}'), {
    ok: true,
    message: { type: 'input', host: 'node1', data: 'G1tNIIAh', encoding: 'base64' },
  });
});

test('anything else is an error result with a reason, never an exception', () => {
  const cases: [string, RegExp][] = [
    ['', /not JSON/],
    ['{"type":', /not JSON/],
    ['null', /invalid message/],
    ['[]', /invalid message/],
    ['"input"', /invalid message/],
    ['{"type":"format-disk"}', /invalid message at type/],
    ['{"type":"input","host":"node1"}', /at data/],
    ['{"type":"input","host":"../etc","data":"x"}', /at host: a host name/],
    ['{"type":"input","host":"node1","data":"ls\\r","encoding":"base64"}', /at data: data is not base64/],
    ['{"type":"input","host":"node1","data":"G1tNIIA","encoding":"base64"}', /at data: data is not base64/],
    ['{"type":"input","host":"node1","data":"x","encoding":"latin1"}', /at encoding/],
    ['{"type":"resize","host":"node1","cols":80.5,"rows":24}', /at cols/],
    ['{"type":"resize","host":"node1","cols":80,"rows":100000}', /at rows/],
    ['{"type":"ack","host":"node1","bytes":-5}', /at bytes/],
    ['{"type":"check","extra":true}', /invalid message/],
    ['{"__proto__":{"type":"check"}}', /invalid message/],
    [JSON.stringify({ type: 'input', host: 'node1', data: 'x'.repeat(LIMITS.inputChars + 1) }), /at data/],
  ];
  for (const [text, reason] of cases) {
    const result = parseClientMessage(text);
    assert.equal(result.ok, false, text);
    if (!result.ok) assert.match(result.message, reason, text);
  }
  const huge = parseClientMessage('x'.repeat(LIMITS.messageBytes + 1));
  assert.deepEqual(huge, {
    ok: false,
    code: 'DD_PROTOCOL_TOO_LARGE',
    message: `message of ${LIMITS.messageBytes + 1} characters; the limit is ${LIMITS.messageBytes}`,
  });
});

test('server messages are validated the same way in the browser', () => {
  assert.equal(parseServerMessage('{"type":"ended","reason":"replaced"}').ok, true);
  assert.equal(parseServerMessage('{"type":"ended","reason":"bored"}').ok, false);
});

test('output frames carry the host index and the chunks, byte for byte', () => {
  const frame = encodeOutputFrame(3, [Buffer.from('hé'), new Uint8Array([0, 255]), Buffer.alloc(0)]);
  assert.deepEqual([...frame], [3, 0x68, 0xc3, 0xa9, 0, 255]);
  const { hostIndex, data } = decodeOutputFrame(frame);
  assert.equal(hostIndex, 3);
  assert.deepEqual([...data], [0x68, 0xc3, 0xa9, 0, 255]);
});
