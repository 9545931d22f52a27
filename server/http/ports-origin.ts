import type { Request, RequestHandler } from 'express';
import { DrydockError } from '../errors/drydock-error.ts';
import { parsePortRequest } from '../ports/port-target.ts';

/** The ports listener's origin as the browser that made `req` reaches it. */
export type PortsOrigin = (req: Request) => string;

/**
 * DRYDOCK_PORTS_ORIGIN when the operator gives one (a reverse proxy in front), else the address
 * the browser reached Drydock at with the ports listener's port: another origin, same machine.
 */
export function portsOriginOf(configured: string, listenerPort: number): PortsOrigin {
  return (req) => configured || `${req.protocol}://${req.hostname}:${listenerPort}`;
}

/**
 * Port addresses on Drydock's own origin, where they were once served: a typed 404 that says
 * where they are now. Proxying them here would run a learner's page as Drydock (docs/security.md).
 */
export function portsMoved(portsOrigin: PortsOrigin): RequestHandler {
  return (req, _res, next) => {
    const port = parsePortRequest(req.originalUrl);
    if (!port) return next();
    next(
      new DrydockError(
        'DD_PORT_MOVED',
        `published ports are served from their own origin, ${portsOrigin(req)}, not from Drydock's: ` +
          `open the port again from the lab view (it opens ${portsOrigin(req)}${port.cleanUrl}).`,
      ),
    );
  };
}
