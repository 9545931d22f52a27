import type { RawData, WebSocket } from 'ws';
import { FLOW, LIMITS, encodeOutputFrame, parseClientMessage, type ServerMessage } from '../../shared/protocol.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Logger } from '../logging/logger.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { AttachedBrowser } from '../sessions/attached-browser.ts';
import type { MessageBudget } from './message-budget.ts';

/** A client that keeps sending what the protocol refuses is cut off after this many errors. */
const MAX_PROTOCOL_ERRORS = 100;
/**
 * Unread bytes per host above which a client is cut off. Flow control keeps an honest client
 * under one window plus a batch per host; more means it acknowledges output it never read.
 */
const MAX_BACKLOG_PER_HOST = 2 * FLOW.highBytes;
/** How long a socket closed for flooding has to deliver its close frame before it is dropped. */
const FLOOD_CLOSE_GRACE_MS = 500;

/**
 * One browser's WebSocket, bound to its session: validated messages in, events and terminal
 * output out. Nothing a client sends can throw past this class.
 */
export class BrowserSocket implements AttachedBrowser {
  private protocolErrors = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly session: LabSession,
    private readonly log: Logger,
    /** The session's, not this socket's: reconnecting does not refill it. */
    private readonly budget: MessageBudget,
    private readonly metrics?: Pick<Metrics, 'terminalOutput' | 'terminalInput' | 'errorAnswered'>,
  ) {
    ws.on('message', (data, isBinary) => this.received(data, isBinary));
    ws.on('close', () => session.disconnect(this));
    ws.on('error', (err) => log.debug({ err, session: session.id }, 'session socket error'));
    session.connect(this);
  }

  message(message: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(message));
    if (message.type === 'ended') this.ws.close(1000, `session ${message.reason}`);
    // 1012, Service Restart (RFC 6455 registry): the browser connects again until the server is back.
    else if (message.type === 'restarting') this.ws.close(1012, 'the server is restarting');
    else this.limitBacklog();
  }

  output(hostIndex: number, chunks: readonly Buffer[]): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const frame = encodeOutputFrame(hostIndex, chunks);
    this.ws.send(frame, { binary: true });
    this.metrics?.terminalOutput(frame.length - 1);
    this.limitBacklog();
  }

  private received(data: RawData, isBinary: boolean): void {
    // Before anything else, and O(1): a flood must cost as little as possible until it is cut off.
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!this.budget.spend(sizeOf(data))) return this.flooded();
    if (isBinary) return this.refuse('DD_PROTOCOL_INVALID', 'binary frames carry terminal output only; send JSON text');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (bytes.length > LIMITS.messageBytes) {
      return this.refuse('DD_PROTOCOL_TOO_LARGE', `message of ${bytes.length} bytes; the limit is ${LIMITS.messageBytes}`);
    }
    const parsed = parseClientMessage(bytes.toString('utf8'));
    if (!parsed.ok) return this.refuse(parsed.code, parsed.message);
    if (parsed.message.type === 'input') this.metrics?.terminalInput(Buffer.byteLength(parsed.message.data, parsed.message.encoding));
    this.session.handle(this, parsed.message);
  }

  /** What the client does not read waits in this process's memory: bounded, whatever it acknowledges. */
  private limitBacklog(): void {
    if (this.ws.bufferedAmount <= MAX_BACKLOG_PER_HOST * this.session.lab.hosts.length) return;
    this.log.warn({ session: this.session.id, unread: this.ws.bufferedAmount }, 'closing a session socket that does not read its output');
    this.ws.close(1008, 'too much unread output');
  }

  private flooded(): void {
    this.budget.penalize();
    this.metrics?.errorAnswered('DD_INPUT_FLOOD');
    this.log.warn({ session: this.session.id }, 'closing a session socket that sends more messages than any person could');
    // The reason is what the browser shows (at most 123 bytes).
    this.ws.close(1008, `too many messages (over ${this.budget.describe()}); reconnect in a few seconds`);
    // The flooder's answering close frame waits behind megabytes it has queued, and reading them
    // (to find it) costs what the close is meant to stop: read nothing more, and drop the
    // connection once the close frame has had time to leave.
    this.ws.pause();
    setTimeout(() => this.ws.terminate(), FLOOD_CLOSE_GRACE_MS).unref();
  }

  private refuse(code: string, message: string): void {
    this.metrics?.errorAnswered(code);
    this.message({ type: 'error', code, message });
    if (++this.protocolErrors >= MAX_PROTOCOL_ERRORS) {
      this.log.warn({ session: this.session.id }, 'closing a session socket that keeps breaking the protocol');
      this.ws.close(1008, 'too many invalid messages');
    }
  }
}

function sizeOf(data: RawData): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
}
