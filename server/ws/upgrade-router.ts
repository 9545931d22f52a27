import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DrydockError } from '../errors/drydock-error.ts';
import { statusOf } from '../errors/error-status.ts';
import { parsePortRequest } from '../ports/port-target.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Logger } from '../logging/logger.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { proxyPortUpgrade } from './port-upgrade.ts';
import { rejectUpgrade } from '../errors/reject-socket.ts';
import { SessionSockets } from './session-upgrade.ts';

const SESSION_SOCKET = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})\/ws(?:\?.*)?$/;

export interface WebSocketDeps {
  sessions: SessionManager;
  allowedOrigins: readonly string[];
  /** Session sockets are pinged this often; one that misses a ping is closed. */
  heartbeatMs: number;
  log: Logger;
  metrics?: Metrics;
}

/** Routes every upgrade request of the server: session sockets, and the port proxy's WebSockets. */
export function attachWebSockets(server: Server, deps: WebSocketDeps): { close(): void } {
  const sockets = new SessionSockets(deps);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => deps.log.debug({ err }, 'upgrade socket error'));
    try {
      const url = req.url ?? '';
      const session = SESSION_SOCKET.exec(url);
      if (session) return sockets.upgrade(req, socket, head, session[1]!);
      const port = parsePortRequest(url);
      if (port) return proxyPortUpgrade(req, socket, head, port, deps);
      rejectUpgrade(socket, 404, 'DD_ROUTE_NOT_FOUND', 'no WebSocket here');
    } catch (err) {
      if (err instanceof DrydockError) return rejectUpgrade(socket, statusOf(err.code), err.code, err.message);
      deps.log.error({ err, url: req.url }, 'upgrade failed');
      rejectUpgrade(socket, 500, 'DD_INTERNAL', 'the server could not take this connection');
    }
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      sockets.close();
    },
  };
}
