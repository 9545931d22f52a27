/**
 * Every value a Cookie header carries under this name, in the order the browser sent them. A
 * browser sends one cookie per name and path; two values mean another origin of this host (a
 * proxied port: cookies ignore ports) set one with a longer path.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  return header.split(';').flatMap((pair) => {
    const at = pair.indexOf('=');
    return at > 0 && pair.slice(0, at).trim() === name ? [pair.slice(at + 1).trim()] : [];
  });
}
