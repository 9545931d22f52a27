import { PORT_TOKEN_PARAM } from '../../shared/api.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';

const PORT_PATH = /^\/sessions\/([A-Za-z0-9_-]{1,64})\/ports\/([a-z][a-z0-9-]{0,31})\/(\d{1,5})(\/[^?]*)?(\?.*)?$/;

export interface PortRequest {
  sessionId: string;
  hostName: string;
  port: number;
  /** `/sessions/ID/ports/HOST/PORT`, the part the proxied service does not see. */
  prefix: string;
  /** Path and query for the service, without the Drydock token parameter. */
  upstreamPath: string;
  /** The token from the query string (the first visit from the lab view). */
  queryToken: string | undefined;
  /** The URL without the token parameter, to redirect to once the cookie is set. */
  cleanUrl: string;
}

/** Parses `/sessions/ID/ports/HOST/PORT/rest?query`; undefined for other paths. */
export function parsePortRequest(url: string): PortRequest | undefined {
  const match = PORT_PATH.exec(url);
  if (!match) return undefined;
  const [, sessionId, hostName, portText, path, query] = match;
  const port = Number(portText);
  if (port < 1 || port > 65_535) throw new DrydockError('DD_BAD_REQUEST', `${portText} is not a port number (1-65535)`);
  const params = new URLSearchParams(query ?? '');
  const queryToken = params.get(PORT_TOKEN_PARAM) ?? undefined;
  params.delete(PORT_TOKEN_PARAM);
  const rest = params.size > 0 ? `?${params}` : '';
  const prefix = `/sessions/${sessionId}/ports/${hostName}/${port}`;
  return { sessionId: sessionId!, hostName: hostName!, port, prefix, upstreamPath: (path ?? '/') + rest, queryToken, cleanUrl: prefix + (path ?? '/') + rest };
}

/** The cookie that lets a tab opened from the lab view reach the session's ports, and only those. */
export function portCookieName(sessionId: string): string {
  return `drydock_port_${sessionId}`;
}

export function portCookie(sessionId: string, token: string, maxAgeSeconds: number): string {
  const path = `/sessions/${sessionId}/ports/`;
  return `${portCookieName(sessionId)}=${token}; Path=${path}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax`;
}

export function cookieToken(cookieHeader: string | undefined, sessionId: string): string | undefined {
  const name = portCookieName(sessionId);
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The Cookie header for the service: the learner's own cookies, never Drydock's token. */
export function cookiesForUpstream(cookieHeader: string | undefined, sessionId: string): string | undefined {
  const name = portCookieName(sessionId);
  const kept = (cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !c.startsWith(`${name}=`));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

export interface PortTarget {
  session: LabSession;
  address: string;
  hostName: string;
  port: number;
}

/** The host's address for an authorized request; fails like any session lookup otherwise. */
export function resolvePortTarget(sessions: SessionManager, request: PortRequest, token: string | undefined): PortTarget {
  const session = sessions.authorize(request.sessionId, token);
  const host = session.sandboxSession.host(request.hostName);
  session.touch();
  return { session, address: host.address, hostName: host.name, port: request.port };
}

/** Headers that describe one connection, not the message; never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);
