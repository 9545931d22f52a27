/**
 * Addresses a proxied service hands the browser (Location, Refresh, Content-Location), kept
 * inside the session's port paths. A Drydock link is one anyone can be handed, so an address
 * that would take the visitor to another site through it is refused, never passed on.
 */

/** The service as the proxy reached it, and where the browser sees it. */
export interface ServiceScope {
  /** `/sessions/ID/ports/HOST/PORT`, no trailing slash. */
  prefix: string;
  /** `/sessions/ID/ports`: the session's ports, any host and port under it. */
  sessionPorts: string;
  hostName: string;
  /** The host's address on its session network. */
  address: string;
  port: number;
  /** The path and query the service was asked for, which relative addresses resolve against. */
  upstreamPath: string;
}

export type Confined = { inside: string } | { refused: string };

/** Names under which a service reaches its own host: what it was told (`Host: node1:5000`) and loopback. */
const OWN_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Where `address` leads, as a path on the Drydock origin inside the session's ports, or why not.
 * Resolves it as the browser would against the address the service saw (the WHATWG URL parser
 * also turns `/\evil.example` into a host, drops tabs and newlines, and removes dot segments),
 * then maps the service's own host, on any port, to that port's proxy path.
 *
 * @example confineAddress('http://node1:8080/x?y', scope) // { inside: '/sessions/ID/ports/node1/8080/x?y' }
 * @example confineAddress('//evil.example/', scope) // { refused: 'another site (http://evil.example)' }
 */
export function confineAddress(address: string, scope: ServiceScope): Confined {
  let url: URL;
  try {
    url = new URL(address, `http://${scope.hostName}:${scope.port}${scope.upstreamPath}`);
  } catch {
    return { refused: 'an address that is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: `a ${url.protocol} address` };
  if (![scope.hostName, scope.address, ...OWN_NAMES].includes(url.hostname)) return { refused: `another site (${url.origin})` };
  if (url.username || url.password) return { refused: 'an address with credentials in it' };
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const prefix = `${scope.sessionPorts}/${scope.hostName}/${port}`;
  // A service told its prefix (X-Forwarded-Prefix) may already include it; it is not added twice.
  const path = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`) ? url.pathname : prefix + url.pathname;
  return { inside: path + url.search + url.hash };
}

/**
 * A Refresh header (`5`, `0; url=/next`, `0;URL='/next'`, as HTML's meta refresh reads it) with
 * its address confined; a bare delay has nothing to confine.
 */
export function confineRefresh(value: string, scope: ServiceScope): Confined {
  const match = /^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?$/is.exec(value);
  if (!match) return { refused: 'a Refresh header that does not read as "SECONDS; url=ADDRESS"' };
  const [, delay, rawAddress = ''] = match;
  const address = rawAddress.trim().replace(/^(['"])(.*?)(\1|$).*$/s, '$2');
  if (address === '') return { inside: delay! };
  const confined = confineAddress(address, scope);
  return 'inside' in confined ? { inside: `${delay}; url=${confined.inside}` } : confined;
}
