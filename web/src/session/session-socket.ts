import {
  PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  decodeOutputFrame,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../../../shared/protocol.ts';
import { ReconnectPolicy } from './reconnect-policy.ts';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SessionSocketHandlers {
  message(message: ServerMessage): void;
  output(hostIndex: number, data: Uint8Array): void;
  /** `reason`: why the server closed the socket for good, in words for the learner. */
  state(state: ConnectionState, reason?: string): void;
  /** The connection dropped: resolve true to reconnect (the session still runs), false to stop. */
  lost(): Promise<boolean>;
}

/**
 * The session's one WebSocket: all its terminals and events. Reconnects with backoff after a
 * drop (a network blip, a server restarting or killed) for as long as the session runs; the
 * server, restarted or not, re-attaches the same shells on arrival.
 */
export class SessionSocket {
  private ws: WebSocket | undefined;
  private readonly reconnect = new ReconnectPolicy();
  private retryTimer: number | undefined;

  constructor(
    private readonly sessionId: string,
    private readonly token: string,
    private readonly handlers: SessionSocketHandlers,
  ) {}

  connect(): void {
    this.handlers.state(this.reconnect.connecting());
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/sessions/${this.sessionId}/ws`, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + this.token]);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      this.reconnect.opened();
      this.handlers.state('open');
    };
    ws.onmessage = (event) => this.received(event.data);
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      void this.dropped(event.code, event.reason);
    };
    this.ws = ws;
  }

  send(message: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.reconnect.stop();
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
    if (parsed.message.type === 'ended') this.reconnect.stop();
    this.handlers.message(parsed.message);
  }

  private async dropped(code: number, reason: string): Promise<void> {
    const verdict = this.reconnect.closed(code);
    if (verdict === 'refused') return this.handlers.state('closed', reason || 'the server closed the connection');
    if (verdict === 'stopped') return this.handlers.state('closed');
    this.handlers.state('reconnecting');
    // A restarting server keeps the session: asking it meanwhile would only fail. Otherwise the
    // page may have closed the socket while the session was being looked up.
    const stillRunning = verdict === 'restarting' || (await this.handlers.lost());
    const delay = stillRunning ? this.reconnect.nextDelayMs() : undefined;
    if (delay === undefined) return this.handlers.state('closed');
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }
}
