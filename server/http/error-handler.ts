import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DrydockError } from '../errors/drydock-error.ts';
import { errorBody, statusOf } from '../errors/error-status.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Logger } from '../logging/logger.ts';

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new DrydockError('DD_ROUTE_NOT_FOUND', `no such API route: ${req.method} ${req.path}`));
};

/** Last in line: what no route or file answered gets the same error shape (or page) as the rest. */
export const pageNotFound: RequestHandler = (_req, _res, next) => {
  next(new DrydockError('DD_ROUTE_NOT_FOUND', 'there is nothing at this address; the labs are at /'));
};

/** Turns every error into a JSON body with a stable code; internals are logged, never sent. */
export function errorHandler(log: Logger, metrics?: Pick<Metrics, 'errorAnswered'>): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = asDrydockError(err);
    const status = known ? statusOf(known.code) : 500;
    metrics?.errorAnswered(known?.code ?? 'DD_INTERNAL');
    if (status >= 500) log.error({ err, requestId: res.locals.requestId, method: req.method, path: req.path }, 'request failed');
    else log.debug({ code: known?.code, path: req.path }, known?.message);
    if (res.headersSent) return res.destroy();
    const body = known ? errorBody(known.code, known.message) : errorBody('DD_INTERNAL', 'something went wrong on the server; the log has details');
    // Sending a static file may have failed after its headers were set (a precondition it does not meet).
    for (const name of ['Content-Type', 'ETag', 'Last-Modified']) res.removeHeader(name);
    if (status === 503) res.set('Retry-After', '30');
    res.status(status);
    // A learner's tab on the port proxy gets a readable page rather than JSON.
    if (!req.originalUrl.startsWith('/api/') && req.accepts(['json', 'html']) === 'html')
      res.type('html').send(errorPage(status, body.error.message));
    else res.json(body);
  };
}

function errorPage(status: number, message: string): string {
  const text = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Drydock: ${status}</title>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933">
<h1 style="font-size:1.25rem">This page could not be opened</h1><p>${text}</p></body>`;
}

/**
 * Errors from express's body parser and router carry a 4xx `status` (and the parser's a `type`):
 * the client's fault, with a reason. Anything else is the server's.
 */
function asDrydockError(err: unknown): DrydockError | undefined {
  if (err instanceof DrydockError) return err;
  const { type, status, code, expose, message } = (err ?? {}) as {
    type?: unknown;
    status?: unknown;
    code?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (type === 'entity.parse.failed') return new DrydockError('DD_BAD_REQUEST', 'the request body is not valid JSON');
  if (type === 'entity.too.large') return new DrydockError('DD_PROTOCOL_TOO_LARGE', 'the request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new DrydockError('DD_BAD_REQUEST', 'send the body as UTF-8 JSON');
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  // The router's: a path parameter with a broken %-escape.
  if (err instanceof URIError) return new DrydockError('DD_BAD_REQUEST', 'the address has a malformed %-escape');
  if (typeof code === 'string' && code.startsWith('Z_'))
    return new DrydockError('DD_BAD_REQUEST', 'the request body does not decompress as its Content-Encoding says');
  // Others, e.g. a static file's precondition that fails; http-errors marks messages safe to show.
  return new DrydockError(
    'DD_BAD_REQUEST',
    `the request could not be handled${expose === true && typeof message === 'string' ? `: ${message}` : ''}`,
  );
}
