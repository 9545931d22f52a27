/**
 * Test support, not used in production code: bad client messages for the session socket, each
 * with the one answer the server owes it. Every case is built to be wrong by construction (a
 * test compares the generator with the protocol's parser), so no generated message can type
 * into a learner's shell.
 */
import { LIMITS } from '../../shared/protocol.ts';
import type { Rng } from './fuzz-input.ts';
import { OPCODE, encodeFrame } from './raw-websocket.ts';

export type ExpectedError = 'DD_PROTOCOL_INVALID' | 'DD_PROTOCOL_TOO_LARGE' | 'DD_HOST_UNKNOWN';

export interface MessageCase {
  /** Which family of mistakes it comes from, for failure messages and counts. */
  kind: string;
  payload: Buffer;
  binary: boolean;
  /** The error code the server must answer with; undefined for a message it takes silently. */
  expect: ExpectedError | undefined;
}

/** The codes that count towards cutting a client off (an unknown host is a mistake, not abuse). */
export function countsTowardsCutOff(code: string | undefined): boolean {
  return code === 'DD_PROTOCOL_INVALID' || code === 'DD_PROTOCOL_TOO_LARGE';
}

const TYPES = ['input', 'resize', 'ack', 'restart', 'check'] as const;
type MessageType = (typeof TYPES)[number];
type Fields = [key: string, json: string][];

const q = (text: string) => JSON.stringify(text);

/** Values that are no valid field of any message: each list is wrong for its field whatever else is sent. */
const NOT_A_TYPE = [
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '"hasOwnProperty"',
  '"INPUT"',
  '""',
  '" input"',
  '"check "',
  '"Check"',
  '0',
  '1',
  'null',
  'true',
  '[]',
  '{}',
  '["check"]',
  '{"type":"check"}',
];
const NOT_A_HOST = [
  'null',
  '0',
  '42',
  'true',
  'false',
  '[]',
  '{}',
  '["node1"]',
  '""',
  '"Node1"',
  '"1node"',
  '"node_1"',
  '"node1\\n"',
  '"n\\u00f6de"',
  '"-node"',
  '" node1"',
  '"node1 "',
  '"\\u0000"',
  '"node1\\u0000"',
  q(`a${'b'.repeat(32)}`),
];
const NOT_A_STRING = ['null', '0', '-1', '1e400', 'true', '[]', '{}', '["x"]', '{"__proto__":"x"}'];
const NOT_A_SIZE = [
  '0',
  '-1',
  '-0',
  '1.5',
  '1e400',
  '-1e400',
  '"80"',
  '"NaN"',
  '"Infinity"',
  'null',
  'true',
  '[]',
  '{}',
  '[80]',
  '9007199254740993',
  '1e308',
  '0.0000001',
];
const NOT_A_BYTE_COUNT = [
  '0',
  '-1',
  '-0',
  '1.5',
  '1e400',
  '"1"',
  '"NaN"',
  'null',
  'false',
  '[]',
  '{}',
  String(64 * 1024 * 1024 + 1),
  '9007199254740993',
];
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', '__defineGetter__'];
/** Texts that are not JSON at all. */
const NOT_JSON = [
  '',
  ' ',
  '\n',
  '{',
  '}',
  '[',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  "{'type':'check'}",
  '{type:"check"}',
  '{"type":"check",}',
  '{"type":"check"}}',
  '/*x*/{"type":"check"}',
  '{"type":"check"} // x',
  '\uFEFF{"type":"check"}',
  '0x10',
  '01',
  '.5',
  '+1',
  'nul',
  'tru',
  '"unterminated',
  '{"type":"check"}{"type":"check"}',
  '[1,]',
  '{"a":1,,"b":2}',
  "'check'",
  '{"type":"\\x41"}',
  '{"type":"\\u12"}',
  '{"type":"check"\u0000}',
  '{"type":\n"check"\u0007}',
];
/** Control characters JSON allows nowhere unescaped (tab, newline and carriage return are whitespace between tokens). */
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).filter((c) => !'\t\n\r'.includes(c));

function validFields(rng: Rng, type: MessageType, host: string): Fields {
  const fields: Fields = [['type', q(type)]];
  if (type === 'check') return fields;
  fields.push(['host', q(host)]);
  if (type === 'input') fields.push(['data', q(rng.string(rng.int(0, 40), 'ls -la\r\n\x03\x1b[A€日本😀 '))]);
  if (type === 'resize') fields.push(['cols', String(rng.int(1, 1000))], ['rows', String(rng.int(1, 500))]);
  if (type === 'ack') fields.push(['bytes', String(rng.int(1, 64 * 1024 * 1024))]);
  return fields;
}

function render(rng: Rng, fields: Fields): string {
  const space = () => rng.pick(['', '', ' ', '\n', '\t ']);
  return `{${space()}${fields.map(([k, v]) => `${q(k)}${space()}:${space()}${v}`).join(`,${space()}`)}${space()}}`;
}

/** A host name the protocol accepts that is not one of the session's. */
function strangerHost(rng: Rng, known: readonly string[]): string {
  for (;;) {
    const name = rng.pick(['node', 'host', 'x', 'registry']) + rng.string(rng.int(0, 20), 'abcdefghijklmnopqrstuvwxyz0123456789-');
    if (!known.includes(name)) return name;
  }
}

function text(kind: string, body: string, expect: ExpectedError | undefined): MessageCase {
  return { kind, payload: Buffer.from(body, 'utf8'), binary: false, expect };
}

const invalid = (kind: string, body: string) => text(kind, body, 'DD_PROTOCOL_INVALID');

/**
 * One client message for a session whose hosts are `known`: mostly wrong in one of many ways,
 * sometimes right but out of place (acknowledging output never sent, restarting a live shell).
 */
export function clientMessageCase(rng: Rng, known: readonly string[]): MessageCase {
  const host = rng.pick(known);
  const type = rng.pick(TYPES);
  const kind = rng.weighted<string>([
    [10, 'not-json'],
    [6, 'not-an-object'],
    [8, 'unknown-type'],
    [8, 'missing-field'],
    [8, 'extra-field'],
    [16, 'wrong-field'],
    [6, 'polluting-key'],
    [3, 'deep-nesting'],
    [3, 'oversized'],
    [6, 'binary'],
    [12, 'unknown-host'],
    [6, 'out-of-place'],
  ]);
  switch (kind) {
    case 'not-json': {
      const valid = render(rng, validFields(rng, type, host));
      const body = rng.weighted<() => string>([
        [3, () => rng.pick(NOT_JSON)],
        // A strict prefix of an object is never a whole one.
        [3, () => valid.slice(0, rng.int(0, valid.length - 1))],
        [2, () => valid + rng.pick(['x', '}', ',', ']', '{}', 'null', '\u0000'])],
        [
          2,
          () => {
            const at = rng.int(0, valid.length);
            return valid.slice(0, at) + rng.pick(CONTROL) + valid.slice(at);
          },
        ],
      ])();
      return invalid(kind, body);
    }
    case 'not-an-object':
      return invalid(
        kind,
        rng.pick(['0', '-1', '1e999', '-0', '3.14', '"check"', '""', '[]', '[{"type":"check"}]', 'null', 'true', 'false', String(rng.next() * 1e6)]),
      );
    case 'unknown-type': {
      const fields = validFields(rng, type, host);
      const value = rng.chance(0.5) ? rng.pick(NOT_A_TYPE) : q(`${rng.pick(TYPES)}${rng.string(rng.int(1, 8))}`);
      // A duplicate key: JSON.parse keeps the last, so the first may be a valid type.
      if (rng.chance(0.2)) fields.push(['type', value]);
      else fields[0] = ['type', value];
      return invalid(kind, render(rng, fields));
    }
    case 'missing-field': {
      const fields = validFields(rng, type, host);
      fields.splice(rng.int(0, fields.length - 1), 1);
      return invalid(kind, render(rng, fields));
    }
    case 'extra-field': {
      const fields = validFields(rng, type, host);
      const key = rng.chance(0.3) ? rng.pick(['Type', 'type ', '', 'host2', 'id', 'data', 'cols', 'bytes']) : rng.string(rng.int(1, 30));
      // A key the message does not have: the same name twice would only overwrite.
      if (fields.some(([k]) => k === key)) return invalid(kind, render(rng, [...fields, ['zz-extra', '1']]));
      fields.splice(rng.int(0, fields.length), 0, [key, rng.pick([...NOT_A_STRING, '"x"', '1'])]);
      return invalid(kind, render(rng, fields));
    }
    case 'wrong-field': {
      const fields = validFields(rng, type === 'check' ? 'resize' : type, host);
      const index = rng.int(0, fields.length - 1);
      const [key] = fields[index]!;
      const wrong: Record<string, () => string> = {
        type: () => rng.pick(NOT_A_TYPE),
        host: () => rng.pick(NOT_A_HOST),
        data: () => (rng.chance(0.6) ? rng.pick(NOT_A_STRING) : q('x'.repeat(LIMITS.inputChars + rng.int(1, 3000)))),
        cols: () => (rng.chance(0.8) ? rng.pick(NOT_A_SIZE) : String(rng.int(1001, 100_000))),
        rows: () => (rng.chance(0.8) ? rng.pick(NOT_A_SIZE) : String(rng.int(501, 100_000))),
        bytes: () => rng.pick(NOT_A_BYTE_COUNT),
      };
      fields[index] = [key, wrong[key]!()];
      return invalid(kind, render(rng, fields));
    }
    case 'polluting-key': {
      // Parsed by JSON.parse these are own keys, never the prototype: a message must not borrow fields through them.
      const fields = validFields(rng, type, host);
      const key = rng.pick(POLLUTING_KEYS);
      if (rng.chance(0.5) && fields.length > 1) {
        const [moved] = fields.splice(rng.int(1, fields.length - 1), 1);
        return invalid(kind, render(rng, [...fields, [key, render(rng, [moved!])]]));
      }
      if (rng.chance(0.5)) return invalid(kind, render(rng, [[key, render(rng, fields)]]));
      return invalid(
        kind,
        render(rng, [...fields, [key, rng.pick(['{"type":"check"}', '{"isAdmin":true}', 'null', '{"prototype":{"polluted":1}}'])]]),
      );
    }
    case 'deep-nesting': {
      const depth = rng.int(100, 30_000);
      const nested = rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      if (nested.length > LIMITS.messageBytes - 100) return invalid(kind, '['.repeat(depth) + ']'.repeat(depth));
      if (rng.chance(0.3)) return invalid(kind, nested);
      const fields = validFields(rng, type === 'check' ? 'input' : type, host);
      fields[rng.int(1, fields.length - 1)]![1] = nested;
      return invalid(kind, render(rng, fields));
    }
    case 'oversized': {
      // Over the message limit counted in bytes, whether in one-byte or four-byte characters.
      const unit = rng.pick(['x', 'é', '€', '😀']);
      const count = Math.ceil((LIMITS.messageBytes + rng.int(1, 200_000)) / Buffer.byteLength(unit));
      return text(kind, `{"type":"input","host":${q(host)},"data":"${unit.repeat(count)}"}`, 'DD_PROTOCOL_TOO_LARGE');
    }
    case 'binary': {
      const payload = rng.chance(0.5) ? rng.bytes(rng.int(0, 2000)) : Buffer.from(render(rng, validFields(rng, type, host)));
      return { kind, payload, binary: true, expect: 'DD_PROTOCOL_INVALID' };
    }
    case 'unknown-host': {
      const fields = validFields(rng, type === 'check' ? 'input' : type, strangerHost(rng, known));
      // Valid JSON that is not valid UTF-16: lone surrogates and NULs, harmless to a host that does not exist.
      if (fields[0]![1] === '"input"' && rng.chance(0.3)) fields[2] = ['data', '"\\ud800\\u0000\\udfff"'];
      return text(kind, render(rng, fields), 'DD_HOST_UNKNOWN');
    }
    default: {
      // Well-formed but out of place: more acknowledged than was sent, a restart of a live shell, a check.
      const which = rng.pick<MessageType>(['ack', 'restart', 'check']);
      return text(kind, render(rng, validFields(rng, which, host)), undefined);
    }
  }
}

export interface FrameCase {
  label: string;
  /** Everything to write after the handshake. */
  bytes: Buffer;
  /** The close code RFC 6455 requires of the server. */
  closeCode: 1002 | 1007 | 1009;
}

/** Byte sequences that are not UTF-8 (Markus Kuhn's decoder test, in short). */
const NOT_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xc3],
  [0xe2, 0x82],
];

/**
 * Frames that break RFC 6455 itself rather than Drydock's protocol: the server must fail the
 * connection with the close code the RFC names, and stay up for everyone else.
 */
export function badFrameCases(rng: Rng): FrameCase[] {
  const cases: FrameCase[] = [];
  const message = (data: string) => Buffer.from(`{"type":"input","host":"nowhere","data":"${data}"}`);
  for (let i = 0; i < 12; i++) {
    const bad = Buffer.from(rng.pick(NOT_UTF8));
    const body = message(rng.string(rng.int(0, 50)));
    const at = rng.int(1, body.length - 2);
    const broken = Buffer.concat([body.subarray(0, at), bad, body.subarray(at)]);
    if (rng.chance(0.5))
      cases.push({
        label: `text frame with bytes ${bad.toString('hex')} that are not UTF-8`,
        bytes: encodeFrame(OPCODE.text, broken),
        closeCode: 1007,
      });
    else {
      const split = rng.int(0, broken.length);
      cases.push({
        label: `fragmented text message with bytes ${bad.toString('hex')} that are not UTF-8`,
        bytes: Buffer.concat([
          encodeFrame(OPCODE.text, broken.subarray(0, split), { fin: false }),
          encodeFrame(OPCODE.continuation, broken.subarray(split)),
        ]),
        closeCode: 1007,
      });
    }
  }
  const check = '{"type":"check"}';
  cases.push(
    { label: 'an unmasked client frame', bytes: encodeFrame(OPCODE.text, check, { mask: false }), closeCode: 1002 },
    ...[1, 2, 4, 7].map((rsv) => ({
      label: `reserved bits ${rsv} without an extension`,
      bytes: encodeFrame(OPCODE.text, check, { rsv }),
      closeCode: 1002 as const,
    })),
    ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map((opcode) => ({
      label: `unknown opcode ${opcode}`,
      bytes: encodeFrame(opcode, check),
      closeCode: 1002 as const,
    })),
    { label: 'a ping longer than 125 bytes', bytes: encodeFrame(OPCODE.ping, 'p'.repeat(126)), closeCode: 1002 },
    { label: 'a fragmented ping', bytes: encodeFrame(OPCODE.ping, 'p', { fin: false }), closeCode: 1002 },
    { label: 'a continuation with no message begun', bytes: encodeFrame(OPCODE.continuation, check), closeCode: 1002 },
    {
      label: 'a new message inside a fragmented one',
      bytes: Buffer.concat([encodeFrame(OPCODE.text, '{"type":', { fin: false }), encodeFrame(OPCODE.text, '"check"}')]),
      closeCode: 1002,
    },
    ...[0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535].map((code) => {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      return { label: `a close frame with the invalid code ${code}`, bytes: encodeFrame(OPCODE.close, payload), closeCode: 1002 as const };
    }),
    { label: 'a close frame with a one-byte body', bytes: encodeFrame(OPCODE.close, Buffer.from([3])), closeCode: 1002 },
    { label: 'a close reason that is not UTF-8', bytes: encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8, 0xff, 0xfe])), closeCode: 1007 },
    { label: 'a length above 2^53', bytes: encodeFrame(OPCODE.text, '', { announcedLength: 2n ** 63n }), closeCode: 1009 },
    {
      label: 'a frame announced above the 1 MiB frame limit',
      bytes: encodeFrame(OPCODE.text, '', { announcedLength: BigInt(LIMITS.frameBytes + 1) }),
      closeCode: 1009,
    },
    {
      label: 'fragments adding up to more than the frame limit',
      bytes: Buffer.concat([
        encodeFrame(OPCODE.text, 'x'.repeat(LIMITS.frameBytes / 2 + 1), { fin: false }),
        encodeFrame(OPCODE.continuation, '', { announcedLength: BigInt(LIMITS.frameBytes / 2) }),
      ]),
      closeCode: 1009,
    },
  );
  return cases;
}
