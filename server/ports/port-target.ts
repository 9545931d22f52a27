import { PORT_TOKEN_PARAM } from '../../shared/api.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { ServiceScope } from './port-redirect.ts';

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
  return {
    sessionId: sessionId!,
    hostName: hostName!,
    port,
    prefix,
    upstreamPath: (path ?? '/') + rest,
    queryToken,
    cleanUrl: prefix + (path ?? '/') + rest,
  };
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
  const host = session.hosts.host(request.hostName);
  session.touch();
  return { session, address: host.address, hostName: host.name, port: request.port };
}

/** What the answer's rewriting needs to know about where the service is and how it was asked. */
export function serviceScope(request: PortRequest, target: PortTarget): ServiceScope {
  return {
    prefix: request.prefix,
    sessionPorts: `/sessions/${request.sessionId}/ports`,
    hostName: target.hostName,
    address: target.address,
    port: target.port,
    upstreamPath: request.upstreamPath,
  };
}

/** Headers that describe one connection, not the message; never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);
