/**
 * Where a request comes from, as the browser tells it: `Origin` (the page's origin, on every
 * WebSocket handshake and every request but GET/HEAD) and `Sec-Fetch-Site` (how that page relates
 * to the address asked for). The HTTP API and the WebSocket upgrades decide with the same rules.
 * Programs (curl, the CLI, `drydock verify`) send neither and are judged by their token alone.
 */

/**
 * Whether the page at `origin` is one of Drydock's own: its host equals the Host it connected
 * to, or the operator allowed it (DRYDOCK_ALLOWED_ORIGINS). No Origin at all: a program, not a page.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.includes(url.origin)) return true;
  return host !== undefined && url.host === host.toLowerCase();
}

/**
 * Whether the browser says the request was made by a page of another origin's site or of
 * another port or subdomain of this one (`same-site`: the ports listener is that to Drydock).
 * `same-origin`, `none` (typed or bookmarked) and no header (a program, an old browser) are not.
 */
export function fromAnotherSite(secFetchSite: string | undefined): boolean {
  return secFetchSite === 'cross-site' || secFetchSite === 'same-site';
}
