import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.ts';

/**
 * Gives every request an id (the caller's X-Request-Id when it sends a sane one) that is
 * echoed in the response and logged with the request's outcome, so one request can be
 * followed from a learner's report through the JSON logs.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('x-request-id', id);
    const started = performance.now();
    res.on('finish', () => {
      // API calls only: static files and the port proxy's traffic would drown them.
      if (!req.originalUrl.startsWith('/api/')) return;
      const session = /^\/api\/sessions\/([^/?]+)/.exec(req.originalUrl)?.[1];
      log.info(
        {
          requestId: id,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          ...(session ? { session } : {}),
        },
        'request',
      );
    });
    next();
  };
}
