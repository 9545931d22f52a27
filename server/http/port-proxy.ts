import type { RequestHandler } from 'express';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { confineAnswerHeaders } from '../ports/port-answer.ts';
import { cookieToken, cookiesForUpstream, portCookie } from '../ports/port-cookies.ts';
import { HOP_BY_HOP, parsePortRequest, resolvePortTarget, serviceScope, type PortRequest, type PortTarget } from '../ports/port-target.ts';

/**
 * Opens a service a learner published in a host (a registry on 5000, a web server on 80) in a
 * browser tab, as Play-with-Docker does: `/sessions/ID/ports/HOST/PORT/…`. The lab view links
 * with the token in the query once; the answer moves it into a cookie scoped to this session's
 * ports and redirects, so the token leaves the address bar and the service never sees it.
 */
export function portProxy(sessions: SessionManager, log: Logger): RequestHandler {
  return (req, res, next) => {
    const parsed = parsePortRequest(req.originalUrl);
    if (!parsed) return next(new DrydockError('DD_ROUTE_NOT_FOUND', 'a port address looks like /sessions/ID/ports/HOST/PORT/'));
    if (parsed.queryToken !== undefined) {
      const { session } = resolvePortTarget(sessions, parsed, parsed.queryToken);
      const secondsLeft = (session.lifetime.maxExpiresAt - Date.now()) / 1000;
      res.set('Set-Cookie', portCookie(parsed.sessionId, parsed.queryToken, secondsLeft));
      res.set('Referrer-Policy', 'no-referrer');
      return res.redirect(303, parsed.cleanUrl);
    }
    const target = resolvePortTarget(sessions, parsed, cookieToken(req.headers.cookie, parsed.sessionId));
    const upstream = httpRequest(
      {
        host: target.address,
        port: target.port,
        method: req.method,
        path: parsed.upstreamPath,
        headers: upstreamHeaders(req.headers, parsed, target),
      },
      (answer) => {
        const confined = confineAnswerHeaders(answer.rawHeaders, serviceScope(parsed, target));
        if ('refused' in confined) {
          answer.resume();
          return next(new DrydockError('DD_PORT_REDIRECT_REFUSED', confined.refused));
        }
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of confined.headers) {
          if (!HOP_BY_HOP.has(name.toLowerCase())) res.appendHeader(name, value);
        }
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      log.debug({ err, host: target.hostName, port: target.port }, 'port proxy: upstream failed');
      if (res.headersSent) return res.destroy();
      next(
        new DrydockError(
          'DD_PORT_UNREACHABLE',
          `nothing answers on ${target.hostName}:${target.port}. Is the service running, and published on port ${target.port} of ${target.hostName}?`,
        ),
      );
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };
}

function upstreamHeaders(headers: IncomingHttpHeaders, parsed: PortRequest, target: PortTarget): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'cookie') out[name] = value;
  }
  const cookies = cookiesForUpstream(headers.cookie);
  if (cookies) out.cookie = cookies;
  // The service sees the name a learner uses inside the lab, as if they had typed it there.
  out.host = `${target.hostName}:${target.port}`;
  out['x-forwarded-prefix'] = parsed.prefix;
  return out;
}
