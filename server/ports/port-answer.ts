import { confineSetCookie } from './port-cookies.ts';
import { confineAddress, confineRefresh, type ServiceScope } from './port-redirect.ts';

export type ConfinedHeaders = { headers: [name: string, value: string][] } | { refused: string };

/**
 * The headers of a proxied service's answer (HTTP, or a WebSocket handshake's), with everything
 * that could reach past the service's own port path confined: redirects (Location, Refresh) that
 * leave are refused whole; a Content-Location that leaves is dropped, since it moves no one;
 * cookies are moved under the port path or dropped. Other headers pass unchanged, in order.
 *
 * @param raw name, value, name, value… as `IncomingMessage.rawHeaders` holds them
 */
export function confineAnswerHeaders(raw: readonly string[], scope: ServiceScope): ConfinedHeaders {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (name.toLowerCase()) {
      case 'location':
      case 'refresh': {
        const confined = name.toLowerCase() === 'location' ? confineAddress(value, scope) : confineRefresh(value, scope);
        if ('refused' in confined)
          return { refused: `the service on ${scope.hostName}:${scope.port} sent the browser to ${confined.refused}, outside this lab` };
        headers.push([name, confined.inside]);
        break;
      }
      case 'content-location': {
        const confined = confineAddress(value, scope);
        if ('inside' in confined) headers.push([name, confined.inside]);
        break;
      }
      case 'set-cookie': {
        const cookie = confineSetCookie(value, scope.prefix, scope.upstreamPath);
        if (cookie !== undefined) headers.push([name, cookie]);
        break;
      }
      default:
        headers.push([name, value]);
    }
  }
  return { headers };
}
