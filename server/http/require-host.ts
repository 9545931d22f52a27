import type { RequestHandler } from 'express';
import { DrydockError } from '../errors/drydock-error.ts';

/** HTTP/1.1 requires Host (RFC 9112 §3.2); node's own refusal would be an empty 400. */
export const requireHost: RequestHandler = (req, _res, next) => {
  if (req.httpVersion === '1.1' && req.headers.host === undefined)
    return next(new DrydockError('DD_BAD_REQUEST', 'an HTTP/1.1 request needs a Host header'));
  next();
};
