/**
 * The one message protocol between the lab server and the browser, over the session's WebSocket.
 *
 * - Control messages are JSON text frames, validated with the schemas below on whichever side
 *   receives them (zod/mini keeps the browser bundle small).
 * - Terminal output is binary frames: one byte naming the host (its index in the session's host
 *   list), then the raw bytes from the shell. Binary spares JSON-escaping every escape sequence.
 *
 * Flow control: the browser acknowledges output once xterm.js has parsed it; the server pauses a
 * shell whose unacknowledged output passes FLOW.highBytes and resumes it below FLOW.lowBytes, so a
 * flood waits in the lab host instead of in the server's or the browser's memory.
 */
import * as z from 'zod/mini';

/** Offered by the browser in Sec-WebSocket-Protocol and selected by the server. */
export const PROTOCOL = 'drydock.v1';
/** The session token rides in a second subprotocol entry: browsers cannot set headers on a WebSocket. */
export const TOKEN_PROTOCOL_PREFIX = 'drydock.token.';

export const LIMITS = {
  /** Text frames above this get an error message and are dropped. */
  messageBytes: 64 * 1024,
  /** Frames above this close the connection (the ws library refuses them before parsing). */
  frameBytes: 1024 * 1024,
  /** The browser splits a paste into input messages of at most this many characters (base64 ones included). */
  inputChars: 16 * 1024,
} as const;

export const FLOW = {
  /** Above this many unacknowledged bytes the server pauses the shell. */
  highBytes: 256 * 1024,
  /** Below this it resumes it. */
  lowBytes: 64 * 1024,
  /** The browser acknowledges every this many parsed bytes; must stay below lowBytes or a paused shell never resumes. */
  ackBytes: 32 * 1024,
} as const;

const hostName = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/, 'a host name: lower-case letters, digits, dashes'));
const count = (max: number) => z.number().check(z.int(), z.minimum(1), z.maximum(max));
const isBase64 = (text: string) => text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);

export const clientMessageSchema = z.discriminatedUnion('type', [
  /**
   * Keystrokes or pasted text for a host's terminal. `base64`: `data` is raw bytes, written to the
   * shell exactly (xterm.js's onBinary: X10 mouse reports carry bytes above 0x7f that are not UTF-8).
   */
  z
    .strictObject({
      type: z.literal('input'),
      host: hostName,
      data: z.string().check(z.maxLength(LIMITS.inputChars)),
      encoding: z.optional(z.literal('base64')),
    })
    .check(z.refine((m) => m.encoding !== 'base64' || isBase64(m.data), { message: 'data is not base64', path: ['data'] })),
  z.strictObject({ type: z.literal('resize'), host: hostName, cols: count(1000), rows: count(500) }),
  /** This many more bytes of the host's output have been parsed by the terminal. */
  z.strictObject({ type: z.literal('ack'), host: hostName, bytes: count(64 * 1024 * 1024) }),
  /** Opens a new shell in a host whose shell has exited. */
  z.strictObject({ type: z.literal('restart'), host: hostName }),
  /** Runs the current step's checks now (the "Check" button). */
  z.strictObject({ type: z.literal('check') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const sessionStates = ['ready', 'resetting', 'ended'] as const;
export type SessionState = (typeof sessionStates)[number];

export const endReasons = ['ended', 'expired', 'idle', 'shutdown'] as const;
export type EndReason = (typeof endReasons)[number];

const sessionViewSchema = z.object({
  id: z.string(),
  labId: z.string(),
  state: z.enum(sessionStates),
  endReason: z.optional(z.enum(endReasons)),
  /** `stopped`: the host died on its own (killed, an engine restart); `problem` says how. A reset brings a fresh one. */
  hosts: z.array(z.object({ name: z.string(), state: z.enum(['ready', 'starting', 'stopped', 'gone']), problem: z.optional(z.string()) })),
  /** Epoch milliseconds. The browser shows expiresAt - now, corrected by serverNow. */
  expiresAt: z.number(),
  /** How far extending can push expiresAt. */
  maxExpiresAt: z.number(),
  serverNow: z.number(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const stepStatuses = ['pending', 'checking', 'passed', 'failing'] as const;
export type StepStatusKind = (typeof stepStatuses)[number];

const stepStatusSchema = z.object({
  status: z.enum(stepStatuses),
  /** For a failing step: what the learner can do, from the check that failed. */
  message: z.optional(z.string()),
  /** When the learner first passed this step before this run of the hosts (an earlier session, or before a reset). */
  passedBefore: z.optional(z.number()),
});
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session'), session: sessionViewSchema }),
  /** Progress: one entry per step of the lab, in order. */
  z.object({ type: z.literal('steps'), steps: z.array(stepStatusSchema) }),
  /**
   * A terminal (re)attached: clear it; its recent output follows as binary frames. `restored`: the
   * server restarted since the shell began and took it over running; its earlier output is not
   * among what follows (say so).
   */
  z.object({ type: z.literal('attached'), host: z.string(), index: z.number(), restored: z.optional(z.literal(true)) }),
  /** The host's shell ended (the learner typed `exit`); a `restart` opens a new one. */
  z.object({ type: z.literal('exited'), host: z.string() }),
  /** A command returned to the prompt in a host's terminal. */
  z.object({ type: z.literal('commandFinished'), host: z.string(), exitCode: z.number() }),
  /** The session is over; the socket closes after this. */
  z.object({ type: z.literal('ended'), reason: z.enum([...endReasons, 'replaced']) }),
  /**
   * The server is restarting (an upgrade) and keeps the session: its hosts and shells run on. The
   * socket closes after this (code 1012); connect again until the server is back.
   */
  z.object({ type: z.literal('restarting') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  /**
   * Dev mode: the lab's file changed. `applied`: the session now checks against the new version
   * (fetch the lab again to show its text); otherwise its hosts or steps changed and a reset applies it.
   */
  z.object({ type: z.literal('labUpdated'), labId: z.string(), applied: z.boolean() }),
  /**
   * Registry notifications the platform's webhook receiver got from this session's hosts:
   * all of them on attach, then each batch as it arrives. `event` is the JSON as the registry sent it.
   */
  z.object({
    type: z.literal('registryEvents'),
    events: z.array(z.object({ receivedAt: z.string(), event: z.record(z.string(), z.unknown()) })),
  }),
  /** A message from the class's instructor, to this learner or the whole class; shown in the lab view. */
  z.object({ type: z.literal('notice'), text: z.string(), sentAt: z.number() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: 'DD_PROTOCOL_TOO_LARGE' | 'DD_PROTOCOL_INVALID'; message: string };

/** Parses one client text frame; never throws, whatever arrives. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parse(clientMessageSchema, text);
}

export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parse(serverMessageSchema, text);
}

function parse<T>(schema: z.ZodMiniType<T>, text: string): ParseResult<T> {
  // Length in UTF-16 units bounds the UTF-8 size within a factor of 3; the frame cap bounds the rest.
  if (text.length > LIMITS.messageBytes) {
    return { ok: false, code: 'DD_PROTOCOL_TOO_LARGE', message: `message of ${text.length} characters; the limit is ${LIMITS.messageBytes}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'DD_PROTOCOL_INVALID', message: 'message is not JSON' };
  }
  const result = z.safeParse(schema, json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, code: 'DD_PROTOCOL_INVALID', message: `invalid message${where}: ${issue ? describeIssue(issue) : 'unknown shape'}` };
  }
  return { ok: true, message: result.data };
}

/** zod/mini ships no message texts (they would grow the browser bundle), so say here what was wrong. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `unknown field ${issue.keys.join(', ').slice(0, 100)}`;
    case 'too_big':
      return `at most ${issue.maximum}`;
    case 'too_small':
      return `at least ${issue.minimum}`;
    case 'invalid_union':
      return 'not a known message type';
    default:
      return 'not allowed here';
  }
}

/** A binary output frame: [host index][bytes], the bytes given as the chunks they arrived in. */
export function encodeOutputFrame(hostIndex: number, chunks: readonly Uint8Array[]): Uint8Array {
  const frame = new Uint8Array(1 + chunks.reduce((sum, c) => sum + c.length, 0));
  frame[0] = hostIndex;
  let at = 1;
  for (const chunk of chunks) {
    frame.set(chunk, at);
    at += chunk.length;
  }
  return frame;
}

export function decodeOutputFrame(frame: Uint8Array): { hostIndex: number; data: Uint8Array } {
  return { hostIndex: frame[0] ?? 0, data: frame.subarray(1) };
}
