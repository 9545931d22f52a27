import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { DrydockError } from '../errors/drydock-error.ts';
import { statusOf } from '../errors/error-status.ts';
import { cookieToken, cookiesForUpstream } from '../ports/port-cookies.ts';
import { confineAnswerHeaders } from '../ports/port-answer.ts';
import { resolvePortTarget, serviceScope, type PortRequest } from '../ports/port-target.ts';
import type { Logger } from '../logging/logger.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { readAnswerHead, serializeAnswerHead } from './answer-head.ts';
import { originAllowed } from '../origins/origin.ts';
import { rejectUpgrade } from '../errors/reject-socket.ts';

/**
 * WebSockets of a service opened through the port proxy (a web app's live updates): the
 * handshake is passed on to the host with Drydock's cookies removed, its answer's head is
 * confined like any proxied answer (port-answer.ts), then bytes flow both ways.
 */
export function proxyPortUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  request: PortRequest,
  deps: { sessions: SessionManager; allowedOrigins: readonly string[]; log: Logger },
): void {
  if (!originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins)) {
    return rejectUpgrade(socket, 403, 'DD_ORIGIN_REFUSED', 'this page may not open WebSockets into a lab');
  }
  let target;
  try {
    target = resolvePortTarget(deps.sessions, request, cookieToken(req.headers.cookie, request.sessionId) ?? request.queryToken);
  } catch (err) {
    if (!(err instanceof DrydockError)) throw err;
    return rejectUpgrade(socket, statusOf(err.code), err.code, err.message);
  }
  const upstream = connect(target.port, target.address);
  let connected = false;
  upstream.on('connect', () => {
    connected = true;
    upstream.write(handshake(req, request, `${target.hostName}:${target.port}`));
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream);
    // The answer's head (a 101 may set cookies, any other status may redirect) is checked like an HTTP answer's.
    readAnswerHead(upstream).then(
      ({ statusLine, raw, rest }) => {
        const confined = confineAnswerHeaders(raw, serviceScope(request, target));
        if ('refused' in confined) {
          upstream.destroy();
          return rejectUpgrade(socket, statusOf('DD_PORT_REDIRECT_REFUSED'), 'DD_PORT_REDIRECT_REFUSED', confined.refused);
        }
        socket.write(serializeAnswerHead(statusLine, confined.headers), 'latin1');
        if (rest.length > 0) socket.write(rest);
        upstream.pipe(socket);
        upstream.resume();
      },
      (err: unknown) => {
        deps.log.debug({ err, host: target.hostName, port: target.port }, 'port proxy: bad upstream handshake answer');
        upstream.destroy();
        rejectUpgrade(
          socket,
          502,
          'DD_PORT_UNREACHABLE',
          `${target.hostName}:${target.port} did not answer the WebSocket handshake: ${(err as Error).message}`,
        );
      },
    );
  });
  upstream.on('error', (err) => {
    deps.log.debug({ err, host: target.hostName, port: target.port }, 'port proxy: upstream socket failed');
    if (connected) return socket.destroy();
    rejectUpgrade(socket, 502, 'DD_PORT_UNREACHABLE', `nothing answers on ${target.hostName}:${target.port}`);
  });
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
}

function handshake(req: IncomingMessage, request: PortRequest, host: string): string {
  const lines = [`${req.method} ${request.upstreamPath} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'cookie') continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  lines.push(`Host: ${host}`);
  const cookies = cookiesForUpstream(req.headers.cookie);
  if (cookies) lines.push(`Cookie: ${cookies}`);
  return lines.join('\r\n') + '\r\n\r\n';
}
