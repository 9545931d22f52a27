import { LIMITS, type ClientMessage } from '../../../shared/protocol.ts';

/** Bytes per base64 message: every 3 bytes become 4 characters, and a message holds LIMITS.inputChars. */
const BINARY_CHUNK = (LIMITS.inputChars / 4) * 3;

/**
 * What the learner typed, as input messages for the session socket; a paste is split to fit.
 *
 * `binary` is xterm.js's onBinary data: a string whose every char code is one byte (X10 mouse
 * reports put bytes above 0x7f there). Sent as text, JSON and UTF-8 would turn each such byte into
 * two, so it travels as base64 and reaches the shell byte-exact, as xterm.js's AttachAddon does
 * by sending a Uint8Array.
 *
 * @example
 * inputMessages('node1', '\x1b[M \x80!', 'binary'); // [{ type: 'input', host: 'node1', data: 'G1tNIIAh', encoding: 'base64' }]
 */
export function inputMessages(host: string, data: string, kind: 'text' | 'binary'): ClientMessage[] {
  const messages: ClientMessage[] = [];
  const chunk = kind === 'text' ? LIMITS.inputChars : BINARY_CHUNK;
  for (let i = 0; i < data.length; i += chunk) {
    const piece = data.slice(i, i + chunk);
    // btoa takes exactly such strings: it throws on a char above 0xff instead of mangling it.
    messages.push(kind === 'text' ? { type: 'input', host, data: piece } : { type: 'input', host, data: btoa(piece), encoding: 'base64' });
  }
  return messages;
}
