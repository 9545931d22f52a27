/**
 * Cookies on the port proxy. Every proxied service shares the Drydock origin, so a cookie is
 * kept apart only by its Path: Drydock's port cookie covers `/sessions/ID/ports/`, and each
 * service's cookies are confined to its own `/sessions/ID/ports/HOST/PORT/`. Nothing named like
 * Drydock's own cookies crosses the proxy in either direction.
 */

/** Every cookie Drydock sets starts with this; the services behind the proxy never see or set one. */
export const DRYDOCK_COOKIE_PREFIX = 'drydock_';

/** The cookie that lets a tab opened from the lab view reach the session's ports, and only those. */
export function portCookieName(sessionId: string): string {
  return `${DRYDOCK_COOKIE_PREFIX}port_${sessionId}`;
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

/**
 * Whether a `name=value` pair is, or would be sent back looking like, one of Drydock's cookies.
 * Browsers keep a pair without `=` as a nameless cookie and send it back bare, so the key is
 * whatever comes before the first `=`. Case and the `__Secure-`/`__Host-` prefixes are ignored:
 * no service has a reason to use names that close to Drydock's.
 */
export function isDrydockCookie(pair: string): boolean {
  const key = pair
    .split('=', 1)[0]!
    .trim()
    .toLowerCase()
    .replace(/^__(secure|host)-/, '');
  return key.startsWith(DRYDOCK_COOKIE_PREFIX);
}

/** The Cookie header for the service: the learner's own cookies, never one of Drydock's (any session's). */
export function cookiesForUpstream(cookieHeader: string | undefined): string | undefined {
  const kept = (cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !isDrydockCookie(c));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/**
 * A service's `Set-Cookie`, confined to its own port path: its Path (a path on the service's
 * side) is moved under `prefix`, Domain is dropped (it would widen the cookie to other hosts),
 * and a cookie named like Drydock's is dropped whole (undefined), so no service can plant or
 * overwrite the port cookie of this or any other session.
 *
 * @param prefix `/sessions/ID/ports/HOST/PORT`, no trailing slash
 * @param upstreamPath the path the service was asked for, which a cookie without Path defaults to
 * @example confineSetCookie('sid=1; Path=/; Domain=example.com', '/sessions/s/ports/node1/80', '/login')
 *   // 'sid=1; Path=/sessions/s/ports/node1/80/'
 */
export function confineSetCookie(header: string, prefix: string, upstreamPath: string): string | undefined {
  const [pair = '', ...attributes] = header.split(';');
  if (isDrydockCookie(pair)) return undefined;
  let servicePath = defaultPath(upstreamPath);
  const kept: string[] = [];
  for (const attribute of attributes) {
    const [rawName = '', ...rawValue] = attribute.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rawValue.join('=').trim();
    // RFC 6265 §5.2.4: a Path that does not start with "/" means the default path.
    if (name === 'path') servicePath = value.startsWith('/') ? value : defaultPath(upstreamPath);
    else if (name !== 'domain' && attribute.trim()) kept.push(attribute.trim());
  }
  return [pair.trim(), ...kept, `Path=${prefix}${servicePath}`].join('; ');
}

/** RFC 6265 §5.1.4: the directory of the request path, which a cookie without Path gets. */
function defaultPath(upstreamPath: string): string {
  const path = upstreamPath.split('?', 1)[0]!;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
