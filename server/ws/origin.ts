/**
 * Whether a WebSocket handshake may proceed: the page must come from this server (the Origin's
 * host equals the Host it connected to) or from an origin the operator allowed. Browsers
 * always send Origin on a handshake, so a cross-site page cannot ride on a learner's token;
 * a handshake without Origin comes from a program (the bench, `drydock verify`), which still
 * needs the token.
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
