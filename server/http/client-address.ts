import type { Request } from 'express';

/** The client's address: the peer's, or X-Forwarded-For's when DRYDOCK_TRUST_PROXY says so (express's req.ip). */
export function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
