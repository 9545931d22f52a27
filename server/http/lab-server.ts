import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachWebSockets } from '../ws/upgrade-router.ts';
import { createApp, type AppDeps } from './app.ts';

export interface LabServerDeps extends AppDeps {
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
  const server = createServer(createApp(deps));
  // Terminal keystrokes are tiny writes; Nagle's delay would sit on each echo.
  server.on('connection', (socket) => socket.setNoDelay(true));
  const sockets = attachWebSockets(server, { sessions: deps.sessions, allowedOrigins: deps.allowedOrigins, log: deps.log, metrics: deps.metrics });
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
