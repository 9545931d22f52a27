import type { RequestHandler } from 'express';
import { DrydockError } from '../errors/drydock-error.ts';
import { fromAnotherSite, originAllowed } from '../origins/origin.ts';

/** Methods that change nothing; any other may only come from Drydock's own pages. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What another site's page may read: the catalog and the platform facts, nothing about anyone.
 * Everything else under /api (sessions, /api/me, /api/instructor, a route added later) is private
 * until it is listed here. Express matches routes without regard to case, so this does too.
 */
const PUBLIC_READS = /^\/(labs|platform)(\/|$)/i;

/**
 * Cross-site protection of the API, mounted on /api before any body is read. Drydock's cookies
 * (the learner's, the instructor's) go with every request the browser makes to this host,
 * whichever page asks, and a page served on the ports listener is another origin but the same
 * site: SameSite does not stop it. So a request that changes state must carry one of Drydock's
 * own origins (or none: curl, the CLI), and private reads refuse pages of another site or port.
 */
export function sameOriginGuard(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    // The operator vouched for these origins (DRYDOCK_ALLOWED_ORIGINS, which the ports origin may never be).
    if (origin !== undefined && originAllowed(origin, undefined, allowedOrigins)) return next();
    const safe = SAFE_METHODS.has(req.method);
    if (safe && PUBLIC_READS.test(req.path)) return next();
    // req.host: the Host header, or X-Forwarded-Host behind a trusted proxy (DRYDOCK_TRUST_PROXY).
    if (fromAnotherSite(site) || (!safe && !originAllowed(origin, req.host, []))) {
      const from = origin && origin !== 'null' ? `a page at ${origin}` : 'a page of another site';
      return next(
        new DrydockError(
          'DD_CROSS_SITE',
          `${from} may not ${safe ? 'read' : 'change'} anything in Drydock: only Drydock's own pages can. ` +
            'Open Drydock itself, or, if that page is yours, add its origin to DRYDOCK_ALLOWED_ORIGINS.',
        ),
      );
    }
    next();
  };
}
