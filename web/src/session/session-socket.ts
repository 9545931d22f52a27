import {
  PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  decodeOutputFrame,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../../shared/protocol.ts';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SessionSocketHandlers {
  message(message: ServerMessage): void;
  output(hostIndex: number, data: Uint8Array): void;
  /** `reason`: why the server closed the socket for good, in words for the learner. */
  state(state: ConnectionState, reason?: string): void;
  /** The connection dropped: resolve true to reconnect (the session still runs), false to stop. */
  lost(): Promise<boolean>;
}

const MAX_RETRY_MS = 5_000;
/** The server closed the socket for what this page sent (a flood, a broken protocol): retrying would only repeat it. */
const POLICY_VIOLATION = 1008;

/**
 * The session's one WebSocket: all its terminals and events. Reconnects with backoff after a
 * drop (a server restart, a network blip); the server re-attaches the same shells on arrival.
 */
export class SessionSocket {
  private ws: WebSocket | undefined;
  private attempts = 0;
  private stopped = false;
  private retryTimer: number | undefined;

  constructor(
    private readonly sessionId: string,
    private readonly token: string,
    private readonly handlers: SessionSocketHandlers,
  ) {}

  connect(): void {
    this.stopped = false;
    this.handlers.state(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/sessions/${this.sessionId}/ws`, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + this.token]);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      this.attempts = 0;
      this.handlers.state('open');
    };
    ws.onmessage = (event) => this.received(event.data);
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      if (event.code === POLICY_VIOLATION) {
        this.stopped = true;
        this.ws = undefined;
        return this.handlers.state('closed', event.reason || 'the server closed the connection');
      }
      void this.dropped();
    };
    this.ws = ws;
  }

  send(message: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000, 'page closed');
    this.handlers.state('closed');
  }

  private received(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      const { hostIndex, data: bytes } = decodeOutputFrame(new Uint8Array(data));
      this.handlers.output(hostIndex, bytes);
      return;
    }
    const parsed = parseServerMessage(String(data));
    if (!parsed.ok) {
      console.warn('drydock: ignored a server message', parsed.message);
      return;
    }
    if (parsed.message.type === 'ended') this.stopped = true;
    this.handlers.message(parsed.message);
  }

  private async dropped(): Promise<void> {
    this.ws = undefined;
    if (this.stopped) return this.handlers.state('closed');
    this.handlers.state('reconnecting');
    if (!(await this.handlers.lost()) || this.stopped) return this.handlers.state('closed');
    const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** this.attempts++);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }
}
