import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LIMITS, PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../shared/protocol.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { statusOf } from '../errors/error-status.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Logger } from '../logging/logger.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { MessageBudget, SOCKET_BUDGET } from './message-budget.ts';
import { originAllowed } from '../origins/origin.ts';
import { rejectUpgrade } from '../errors/reject-socket.ts';
import { BrowserSocket } from './browser-socket.ts';

export interface SessionSocketDeps {
  sessions: SessionManager;
  allowedOrigins: readonly string[];
  /** A dead connection (a laptop gone to sleep) is noticed within two of these. */
  heartbeatMs: number;
  log: Logger;
  metrics?: Metrics;
}

/**
 * The session WebSocket at /api/sessions/ID/ws: one per session, carrying all its terminals
 * and events. Origin and token are checked before the handshake completes; the token comes as
 * a subprotocol entry (browsers cannot set headers on a WebSocket, and a URL would end up in logs).
 */
export class SessionSockets {
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakSet<object>();
  /** Kept per session, so a client cut off for flooding cannot reconnect to a fresh allowance. */
  private readonly budgets = new WeakMap<LabSession, MessageBudget>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: SessionSocketDeps) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: LIMITS.frameBytes,
      // permessage-deflate costs ~220 KiB per connection and two thirds of the throughput (measured on this machine).
      perMessageDeflate: false,
      handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
    });
    // A handshake ws itself refuses (a wrong method, key or version) gets the same JSON error as every other refusal.
    this.wss.on('wsClientError', (err, socket) =>
      rejectUpgrade(socket, 400, 'DD_PROTOCOL_INVALID', `not a valid WebSocket handshake: ${err.message}`),
    );
    this.heartbeat = setInterval(() => this.checkAlive(), deps.heartbeatMs).unref();
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string): void {
    if (!originAllowed(req.headers.origin, req.headers.host, this.deps.allowedOrigins)) {
      this.deps.log.warn({ origin: req.headers.origin }, 'refused a session socket from another origin');
      return rejectUpgrade(socket, 403, 'DD_ORIGIN_REFUSED', 'this page may not open Drydock sessions');
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(PROTOCOL)) {
      return rejectUpgrade(socket, 400, 'DD_PROTOCOL_INVALID', `offer the subprotocol ${PROTOCOL}`);
    }
    const token = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length);
    let session;
    try {
      session = this.deps.sessions.authorize(sessionId, token);
    } catch (err) {
      if (!(err instanceof DrydockError)) throw err;
      return rejectUpgrade(socket, statusOf(err.code), err.code, err.message);
    }
    const budget = this.budgetOf(session);
    if (budget.blockedForMs > 0) {
      const seconds = Math.ceil(budget.blockedForMs / 1000);
      return rejectUpgrade(socket, statusOf('DD_INPUT_FLOOD'), 'DD_INPUT_FLOOD', `this session sent too many messages; try again in ${seconds} s`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.alive.add(ws);
      ws.on('pong', () => this.alive.add(ws));
      new BrowserSocket(ws, session, this.deps.log, budget, this.deps.metrics);
    });
  }

  private budgetOf(session: LabSession): MessageBudget {
    let budget = this.budgets.get(session);
    if (!budget) {
      budget = new MessageBudget(SOCKET_BUDGET);
      this.budgets.set(session, budget);
    }
    return budget;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private checkAlive(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
