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
import { WATCH_SOCKET, WatchSockets } from './watch-upgrade.ts';
import type { Classroom } from '../classes/classroom.ts';

const SESSION_SOCKET = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})\/ws(?:\?.*)?$/;

export interface WebSocketDeps {
  sessions: SessionManager;
  allowedOrigins: readonly string[];
  /** Session sockets are pinged this often; one that misses a ping is closed. */
  heartbeatMs: number;
  log: Logger;
  metrics?: Metrics;
  /** Instructors watching learners' terminals. */
  classroom: Classroom;
}

type Upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, url: string) => void;

/** Routes every upgrade request of Drydock's own listener: session sockets. */
export function attachWebSockets(server: Server, deps: WebSocketDeps): { close(): void } {
  const sockets = new SessionSockets(deps);
  const watchers = new WatchSockets(deps);
  const detach = routeUpgrades(server, deps.log, (req, socket, head, url) => {
    const session = SESSION_SOCKET.exec(url);
    if (session) return sockets.upgrade(req, socket, head, session[1]!);
    const watch = WATCH_SOCKET.exec(url);
    if (watch) return watchers.upgrade(req, socket, head, watch[1]!, watch[2]!);
    if (parsePortRequest(url))
      return rejectUpgrade(socket, 404, 'DD_PORT_MOVED', 'published ports are served from their own origin: open the port again from the lab view');
    rejectUpgrade(socket, 404, 'DD_ROUTE_NOT_FOUND', 'no WebSocket here');
  });
  return {
    close: () => {
      detach();
      sockets.close();
      watchers.close();
    },
  };
}

/**
 * Routes every upgrade request of the ports listener: the WebSockets of published ports.
 * `allowedOrigins` are the ports origin's, never Drydock's.
 */
export function attachPortSockets(
  server: Server,
  deps: { sessions: SessionManager; allowedOrigins: readonly string[]; log: Logger },
): { close(): void } {
  const detach = routeUpgrades(server, deps.log, (req, socket, head, url) => {
    const port = parsePortRequest(url);
    if (port) return proxyPortUpgrade(req, socket, head, port, deps);
    rejectUpgrade(socket, 404, 'DD_ROUTE_NOT_FOUND', 'no WebSocket here: this address serves published ports only');
  });
  return { close: detach };
}

/** Calls `route` for each upgrade; a typed error becomes its refusal, anything else a 500. Returns the detach. */
function routeUpgrades(server: Server, log: Logger, route: Upgrade): () => void {
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    try {
      route(req, socket, head, req.url ?? '');
    } catch (err) {
      if (err instanceof DrydockError) return rejectUpgrade(socket, statusOf(err.code), err.code, err.message);
      log.error({ err, url: req.url }, 'upgrade failed');
      rejectUpgrade(socket, 500, 'DD_INTERNAL', 'the server could not take this connection');
    }
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}
