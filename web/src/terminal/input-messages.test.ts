import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS, parseClientMessage, type ClientMessage } from '../../../shared/protocol.ts';
import { inputMessages } from './input-messages.ts';

/** The bytes the server writes to the shell for these messages (lab-session decodes them so). */
function bytesWritten(messages: ClientMessage[]): number[] {
  return [
    ...Buffer.concat(
      messages.map((m) => {
        assert.equal(m.type, 'input');
        if (m.type !== 'input') return Buffer.alloc(0);
        const parsed = parseClientMessage(JSON.stringify(m));
        assert.ok(parsed.ok, `the server accepts it: ${parsed.ok ? '' : parsed.message}`);
        return Buffer.from(m.data, m.encoding ?? 'utf8');
      }),
    ),
  ];
}

test('binary input (an X10 mouse report past column 95) reaches the shell byte for byte', () => {
  // xterm.js reports a click at column 96, row 1 as ESC [ M, button 32, 32 + 96, 32 + 1.
  const report = '\x1b[M \x80!';
  const messages = inputMessages('node1', report, 'binary');
  assert.deepEqual(messages, [{ type: 'input', host: 'node1', data: 'G1tNIIAh', encoding: 'base64' }]);
  assert.deepEqual(bytesWritten(messages), [0x1b, 0x5b, 0x4d, 0x20, 0x80, 0x21]);
});

test('every byte value survives, in pieces the protocol takes', () => {
  const bytes = Array.from({ length: 40_000 }, (_, i) => (i * 7) % 256);
  const messages = inputMessages('node2', String.fromCharCode(...bytes), 'binary');
  assert.ok(messages.length > 1, 'split');
  for (const m of messages) assert.ok(m.type === 'input' && m.data.length <= LIMITS.inputChars);
  assert.deepEqual(bytesWritten(messages), bytes);
});

test('text is sent as typed, UTF-8 included, a long paste in pieces', () => {
  assert.deepEqual(inputMessages('node1', 'héllo ✓\r', 'text'), [{ type: 'input', host: 'node1', data: 'héllo ✓\r' }]);
  assert.deepEqual(bytesWritten(inputMessages('node1', 'é', 'text')), [0xc3, 0xa9]);
  const paste = 'x'.repeat(LIMITS.inputChars * 2 + 5);
  const pieces = inputMessages('node1', paste, 'text');
  assert.deepEqual(
    pieces.map((m) => (m.type === 'input' ? m.data.length : 0)),
    [LIMITS.inputChars, LIMITS.inputChars, 5],
  );
  assert.deepEqual(inputMessages('node1', '', 'text'), []);
});

test('binary data with a char above 0xff is refused, not mangled', () => {
  assert.throws(() => inputMessages('node1', '✓', 'binary'));
});
