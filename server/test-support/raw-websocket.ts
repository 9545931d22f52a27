/**
 * Test support, not used in production code: a WebSocket client that writes exactly the bytes it
 * is given (frames a library would refuse to make: unmasked, reserved bits, broken UTF-8, split
 * anywhere), and reads what the server answers: its text messages and its close code.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseServerMessage, type ServerMessage } from '../../shared/protocol.ts';
import { ChangeSignal } from '../support/change-signal.ts';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FrameOptions {
  /** Last frame of its message (default true). */
  fin?: boolean;
  /** The three reserved bits, 0-7. */
  rsv?: number;
  /** Clients must mask (default true). */
  mask?: boolean;
  /** A length to announce instead of the payload's. */
  announcedLength?: bigint;
}

/** One frame as RFC 6455 §5.2 lays it out, with whatever liberties `options` take. */
export function encodeFrame(opcode: number, payload: Buffer | string, options: FrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = options.announcedLength ?? BigInt(data.length);
  const mask = options.mask ?? true;
  const head = [((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode];
  const maskBit = mask ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65_536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), extended, data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), extended, key, masked]);
}

/** The HTTP request that opens a session socket, as a browser would send it. */
function handshakeRequest(url: URL, protocols: readonly string[]): Buffer {
  return Buffer.from(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Protocol: ${protocols.join(', ')}\r\n\r\n`,
  );
}

export class RawWebSocket {
  /** Control messages received, validated against the protocol. */
  readonly messages: ServerMessage[] = [];
  /** Terminal output bytes received. */
  outputBytes = 0;
  /** The most recent terminal output, for looking for an echo. */
  private recentOutput = '';
  /** The code of the server's close frame (1005 when it gave none). */
  closeCode: number | undefined;
  /** The connection is gone. */
  ended = false;
  /** Text the server sent that is not a protocol message (there should be none). */
  readonly invalid: string[] = [];
  private pending = Buffer.alloc(0);
  private readonly changes = new ChangeSignal();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.arrived(chunk));
    socket.on('close', () => {
      this.ended = true;
      this.changes.changed();
    });
    socket.on('error', () => {});
    socket.resume();
  }

  /**
   * Opens `url` (ws://...) and completes the handshake. `after` is written in the same packet as
   * the handshake, before the server has answered; `byteDelayMs` sends the handshake one byte at
   * a time.
   */
  static async open(url: string, protocols: readonly string[], options: { after?: Buffer; byteDelayMs?: number } = {}): Promise<RawWebSocket> {
    const target = new URL(url);
    const socket = connect(Number(target.port), target.hostname);
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const request = handshakeRequest(target, protocols);
    const answer = readHandshakeAnswer(socket);
    if (options.byteDelayMs === undefined) socket.write(Buffer.concat([request, options.after ?? Buffer.alloc(0)]));
    else {
      for (const byte of request) {
        if (socket.destroyed) break;
        socket.write(Buffer.from([byte]));
        await sleep(options.byteDelayMs);
      }
    }
    const { head, rest } = await answer;
    if (!head.startsWith('HTTP/1.1 101 ')) {
      socket.destroy();
      throw new Error(`handshake refused: ${head.split('\r\n')[0]}`);
    }
    const ws = new RawWebSocket(socket);
    if (rest.length > 0) ws.arrived(rest);
    return ws;
  }

  /** The last 4 KiB of terminal output (all hosts), as Latin-1. */
  get output(): string {
    return this.recentOutput;
  }

  errors(): Extract<ServerMessage, { type: 'error' }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error');
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** A well-formed masked frame. */
  send(opcode: number, payload: Buffer | string, options: FrameOptions = {}): void {
    this.write(encodeFrame(opcode, payload, options));
  }

  waitFor(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return this.changes.until(
      ready,
      what,
      timeoutMs,
      250,
      () => `messages: ${JSON.stringify(this.messages.slice(-5))}, close code ${this.closeCode}, ended ${this.ended}`,
    );
  }

  destroy(): void {
    this.socket.destroy();
  }

  private arrived(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const frame = nextServerFrame(this.pending);
      if (!frame) break;
      this.pending = this.pending.subarray(frame.size);
      this.handle(frame.opcode, frame.payload);
    }
    this.changes.changed();
  }

  private handle(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE.binary) {
      this.outputBytes += Math.max(0, payload.length - 1);
      this.recentOutput = (this.recentOutput + payload.subarray(1).toString('latin1')).slice(-4096);
    } else if (opcode === OPCODE.text) {
      const parsed = parseServerMessage(payload.toString('utf8'));
      if (parsed.ok) this.messages.push(parsed.message);
      else this.invalid.push(`${parsed.message}: ${payload.toString('utf8').slice(0, 200)}`);
    } else if (opcode === OPCODE.close) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    else if (opcode === OPCODE.ping) this.send(OPCODE.pong, payload);
  }
}

/** Servers send unmasked, unfragmented frames; undefined until a whole one has arrived. */
function nextServerFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0]! & 0x0f;
  let length = buffer[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    at = 10;
  }
  if (buffer.length < at + length) return undefined;
  return { opcode, payload: buffer.subarray(at, at + length), size: at + length };
}

/** A server that never answers fails the test rather than hanging it. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

function readHandshakeAnswer(socket: Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to the handshake in ${HANDSHAKE_TIMEOUT_MS / 1000} s`));
    }, HANDSHAKE_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.off('data', onData).off('close', onClose);
      socket.pause();
      resolve({ head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
    };
    const onClose = () => {
      clearTimeout(timer);
      reject(new Error(`the server closed the connection during the handshake: ${JSON.stringify(received.toString('latin1'))}`));
    };
    socket.on('data', onData).on('close', onClose);
  });
}
