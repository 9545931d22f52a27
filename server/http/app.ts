import express, { type Express } from 'express';
import type { Config } from '../config/config.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { PlatformBody } from '../../shared/api.ts';
import type { PlatformFacts } from '../labs/facts.ts';
import type { Logger } from '../logging/logger.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { errorHandler, pageNotFound, routeNotFound } from './error-handler.ts';
import { healthRoutes } from './health-routes.ts';
import { requestLog } from './request-log.ts';
import { metricsRoute } from './metrics-route.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { labRoutes, type LabBodies } from './lab-routes.ts';
import { portProxy } from './port-proxy.ts';
import { sessionRoutes } from './session-routes.ts';
import { staticFiles } from './static-files.ts';

export interface AppDeps {
  sessions: SessionManager;
  labs: LabBodies;
  config: Pick<Config, 'trustProxy'>;
  log: Logger;
  /** Folder of the bundled browser app (dist/web). */
  webRoot: string;
  metrics?: Metrics;
  /** What keeps the server from taking learners right now (the engine not answering), if anything. */
  unready: () => Promise<string | undefined>;
  /** The platform facts its lessons are taught with (`:::when` blocks). */
  facts: PlatformFacts;
}

/** The HTTP side of the lab server: the JSON API, the port proxy and the browser app. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Decides where req.ip comes from, and so which learner a session counts against.
  app.set('trust proxy', deps.config.trustProxy);
  app.use(requestLog(deps.log));
  app.use((req, _res, next) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined)
      return next(new DrydockError('DD_BAD_REQUEST', 'an HTTP/1.1 request needs a Host header'));
    next();
  });
  app.use(healthRoutes(deps.sessions, deps.unready));
  if (deps.metrics) app.use(metricsRoute(deps.metrics));
  // Before any body parser: the proxy streams request bodies through untouched.
  app.use('/sessions', portProxy(deps.sessions, deps.log));
  app.use('/api', express.json({ limit: '16kb' }));
  app.use('/api/labs', labRoutes(deps.labs));
  // `drydock verify --server` proves a deployment's labs as that machine teaches them.
  app.get('/api/platform', (_req, res) => {
    const body: PlatformBody = { facts: { ...deps.facts } };
    res.json(body);
  });
  app.use(
    '/api/sessions',
    sessionRoutes(deps.sessions, (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown'),
  );
  app.use('/api', routeNotFound);
  app.use(staticFiles(deps.webRoot));
  app.use(pageNotFound);
  app.use(errorHandler(deps.log, deps.metrics));
  return app;
}
