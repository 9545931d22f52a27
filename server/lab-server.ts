import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.ts';
import { rejectUpgrade } from './errors/reject-socket.ts';
import { attachWebSockets } from './ws/upgrade-router.ts';
import { createApp, type AppDeps } from './http/app.ts';
import { answerClientError } from './http/client-error.ts';

export interface LabServerDeps extends AppDeps {
  config: Pick<Config, 'trustProxy' | 'headersTimeoutSeconds' | 'requestTimeoutSeconds' | 'socketHeartbeatSeconds'>;
  allowedOrigins: readonly string[];
}

export interface LabServer {
  readonly server: Server;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** Stops taking new connections; open ones (learners' sockets) stay until close. */
  stopAccepting(): void;
  close(): Promise<void>;
}

/**
 * The HTTP server with the app and the WebSocket upgrades, listening. Port 0 picks a free port
 * (tests); closing stops accepting, drops open sockets, and leaves the sessions to their owner.
 */
export async function startLabServer(deps: LabServerDeps, listen: { port: number; address: string }): Promise<LabServer> {
  const headersTimeout = deps.config.headersTimeoutSeconds * 1000;
  const app = createApp(deps);
  const server = createServer(
    {
      headersTimeout,
      // Node refuses a headers timeout longer than the request timeout.
      requestTimeout: Math.max(headersTimeout, deps.config.requestTimeoutSeconds * 1000),
      // Node enforces both timeouts on this tick (30 s by default, which would let a slow client overstay by that).
      connectionsCheckingInterval: 1000,
      // The app refuses a request without Host itself: node's own refusal is an empty 400.
      requireHostHeader: false,
    },
    app,
  );
  // Terminal keystrokes are tiny writes; Nagle's delay would sit on each echo.
  server.on('connection', (socket) => socket.setNoDelay(true));
  server.on('clientError', answerClientError);
  // An Expect other than 100-continue is ignored (RFC 9110 §10.1.1 allows it) rather than answered 417 in node's own format.
  server.on('checkExpectation', app);
  server.on('connect', (_req, socket) => rejectUpgrade(socket, 400, 'DD_BAD_REQUEST', 'this server is not a proxy'));
  const sockets = attachWebSockets(server, {
    sessions: deps.sessions,
    allowedOrigins: deps.allowedOrigins,
    heartbeatMs: deps.config.socketHeartbeatSeconds * 1000,
    log: deps.log,
    metrics: deps.metrics,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.address, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closed: Promise<void> | undefined;
  const stopAccepting = () => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    server,
    url: `http://${host}:${port}`,
    stopAccepting,
    close: async () => {
      stopAccepting();
      sockets.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
