import { WebSocket } from 'ws';
import type { StartedSessionBody } from '../../shared/api.ts';
import { ChangeSignal } from '../support/change-signal.ts';
import {
  FLOW,
  PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  decodeOutputFrame,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/protocol.ts';

/** Starts a session of a lab over the HTTP API, as the browser does; the token is in the answer. */
export async function startLabSession(baseUrl: string, labId: string): Promise<StartedSessionBody> {
  const res = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ labId }),
  });
  const json = (await res.json()) as StartedSessionBody & { error?: { message: string } };
  if (!res.ok) throw new Error(json.error?.message ?? `HTTP ${res.status}`);
  return json;
}

export interface NodeSessionClientOptions {
  /** Acknowledge output as it arrives, every FLOW.ackBytes, like a browser that parses instantly (default true). */
  autoAck?: boolean;
  /** Keep output for text() (default true); a benchmark moving gigabytes turns it off. */
  keepOutput?: boolean;
  origin?: string;
}

/**
 * A session socket client for programs: the tests, the benchmarks, and anything that types into
 * a learner's terminal the way the browser does (same socket, same protocol, same flow control).
 *
 * @example
 * const client = await NodeSessionClient.connect(url, session.id, token);
 * client.input('node1', 'echo hi\r');
 * await client.waitFor(() => client.text(0).includes('hi'), 'the echo');
 */
export class NodeSessionClient {
  readonly messages: ServerMessage[] = [];
  /** Output bytes received per host index. */
  readonly received: number[] = [];
  onOutput: ((hostIndex: number, data: Buffer) => void) | undefined;
  /** Called with each control message as it arrives (benchmarks take timestamps here). */
  onMessage: ((message: ServerMessage) => void) | undefined;
  private readonly output = new Map<number, Buffer[]>();
  private readonly hosts = new Map<number, string>();
  private readonly unacked = new Map<number, number>();
  private readonly changes = new ChangeSignal();
  private closedWith: { code: number; reason: string } | undefined;

  private constructor(
    readonly ws: WebSocket,
    private readonly options: NodeSessionClientOptions,
  ) {
    ws.on('message', (data, isBinary) => this.arrived(data as Buffer, isBinary));
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.changes.changed();
    });
  }

  static connect(baseUrl: string, sessionId: string, token: string, options: NodeSessionClientOptions = {}): Promise<NodeSessionClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/sessions/${sessionId}/ws`;
    const ws = new WebSocket(url, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + token], { perMessageDeflate: false, origin: options.origin });
    const client = new NodeSessionClient(ws, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        (ws as unknown as { _socket?: { setNoDelay(on: boolean): void } })._socket?.setNoDelay(true);
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  get closed(): { code: number; reason: string } | undefined {
    return this.closedWith;
  }

  send(message: ClientMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  input(host: string, data: string): void {
    this.send({ type: 'input', host, data });
  }

  /** Raw bytes for the shell, as the browser sends xterm.js's onBinary data (mouse reports). */
  inputBytes(host: string, bytes: Uint8Array): void {
    this.send({ type: 'input', host, data: Buffer.from(bytes).toString('base64'), encoding: 'base64' });
  }

  text(hostIndex = 0): string {
    return Buffer.concat(this.output.get(hostIndex) ?? []).toString('utf8');
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  /** Resolves once `ready()` holds, checking after every message. */
  waitFor(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return this.changes.until(ready, what, timeoutMs, 250, () => `last output:\n${this.text().slice(-1000)}`);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private arrived(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const { hostIndex, data: bytes } = decodeOutputFrame(data);
      const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.received[hostIndex] = (this.received[hostIndex] ?? 0) + chunk.length;
      if (this.options.keepOutput !== false) {
        const kept = this.output.get(hostIndex) ?? [];
        kept.push(chunk);
        this.output.set(hostIndex, kept);
      }
      this.onOutput?.(hostIndex, chunk);
      if (this.options.autoAck !== false) this.ackIndex(hostIndex, chunk.length);
    } else {
      const parsed = parseServerMessage(data.toString('utf8'));
      if (!parsed.ok) throw new Error(`the server sent an invalid message: ${parsed.message}`);
      this.messages.push(parsed.message);
      this.onMessage?.(parsed.message);
      if (parsed.message.type === 'attached') {
        this.hosts.set(parsed.message.index, parsed.message.host);
        this.unacked.set(parsed.message.index, 0);
        this.output.delete(parsed.message.index);
      }
    }
    this.changes.changed();
  }

  private ackIndex(hostIndex: number, bytes: number): void {
    const host = this.hosts.get(hostIndex);
    const unacked = (this.unacked.get(hostIndex) ?? 0) + bytes;
    if (!host || unacked < FLOW.ackBytes) return void this.unacked.set(hostIndex, unacked);
    this.unacked.set(hostIndex, 0);
    this.send({ type: 'ack', host, bytes: unacked });
  }
}
