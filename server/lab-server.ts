import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.ts';
import { rejectUpgrade } from './errors/reject-socket.ts';
import { attachPortSockets, attachWebSockets } from './ws/upgrade-router.ts';
import { createApp, type AppDeps } from './http/app.ts';
import { answerClientError } from './http/client-error.ts';
import { createPortsApp } from './http/ports-app.ts';
import { portsOriginOf } from './http/ports-origin.ts';

export interface LabServerDeps extends Omit<AppDeps, 'portsOrigin'> {
  config: Pick<
    Config,
    'trustProxy' | 'isolation' | 'headersTimeoutSeconds' | 'requestTimeoutSeconds' | 'socketHeartbeatSeconds' | 'portsPort' | 'portsOrigin'
  >;
}

export interface LabServer {
  readonly server: Server;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** The listener of published ports (the port proxy), another origin: e.g. http://127.0.0.1:8081 */
  readonly portsUrl: string;
  /** Stops taking new connections; open ones (learners' sockets) stay until close. */
  stopAccepting(): void;
  close(): Promise<void>;
}

/**
 * The lab server, listening: Drydock's app and session sockets on one port, and the ports of lab
 * hosts (the port proxy, HTTP and WebSocket) on a second one, so a learner's page never runs in
 * Drydock's origin. Port 0 picks a free port (tests); closing stops accepting, drops open
 * sockets, and leaves the sessions to their owner.
 */
export async function startLabServer(deps: LabServerDeps, listen: { port: number; address: string }): Promise<LabServer> {
  const ports = await startListener(
    deps.config,
    createPortsApp(deps),
    (server) =>
      attachPortSockets(server, {
        sessions: deps.sessions,
        // A page of the ports origin may open its own service's WebSockets; Drydock's allowed origins are not its.
        allowedOrigins: deps.config.portsOrigin ? [deps.config.portsOrigin] : [],
        log: deps.log,
      }),
    { port: deps.config.portsPort, address: listen.address },
  );
  let main: Listener;
  try {
    const portsOrigin = portsOriginOf(deps.config.portsOrigin, ports.port);
    main = await startListener(
      deps.config,
      createApp({ ...deps, portsOrigin }),
      (server) =>
        attachWebSockets(server, {
          sessions: deps.sessions,
          allowedOrigins: deps.allowedOrigins,
          heartbeatMs: deps.config.socketHeartbeatSeconds * 1000,
          log: deps.log,
          metrics: deps.metrics,
          classroom: deps.classroom,
        }),
      listen,
    );
  } catch (err) {
    await ports.close();
    throw err;
  }
  return {
    server: main.server,
    url: main.url,
    portsUrl: ports.url,
    stopAccepting: () => {
      main.stopAccepting();
      ports.stopAccepting();
    },
    close: async () => {
      await Promise.all([main.close(), ports.close()]);
    },
  };
}

interface Listener {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  stopAccepting(): void;
  close(): Promise<void>;
}

async function startListener(
  config: LabServerDeps['config'],
  app: RequestListener,
  attachSockets: (server: Server) => { close(): void },
  listen: { port: number; address: string },
): Promise<Listener> {
  const headersTimeout = config.headersTimeoutSeconds * 1000;
  const server = createServer(
    {
      headersTimeout,
      // Node refuses a headers timeout longer than the request timeout.
      requestTimeout: Math.max(headersTimeout, config.requestTimeoutSeconds * 1000),
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
  const sockets = attachSockets(server);
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
    port,
    stopAccepting,
    close: async () => {
      stopAccepting();
      sockets.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
