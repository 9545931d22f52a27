import type { Express } from 'express';
import type { Config } from '../config/config.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { errorHandler } from './error-handler.ts';
import { portProxy } from './port-proxy.ts';
import { baseApp } from './base-app.ts';

export interface PortsAppDeps {
  sessions: SessionManager;
  config: Pick<Config, 'trustProxy'>;
  log: Logger;
  metrics?: Metrics;
}

/**
 * The HTTP side of the ports listener (DRYDOCK_PORTS_PORT): the port proxy and nothing else. It
 * is another origin than Drydock's, so what a learner's service serves runs apart from Drydock's
 * pages, their storage and their API.
 */
export function createPortsApp(deps: PortsAppDeps): Express {
  const app = baseApp(deps.config, deps.log);
  app.use('/sessions', portProxy(deps.sessions, deps.log));
  app.use((_req, _res, next) =>
    next(
      new DrydockError(
        'DD_ROUTE_NOT_FOUND',
        "this address serves only the ports learners publish in their lab hosts (/sessions/ID/ports/HOST/PORT/); Drydock's labs are on its own port",
      ),
    ),
  );
  app.use(errorHandler(deps.log, deps.metrics));
  return app;
}
