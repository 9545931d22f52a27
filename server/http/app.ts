import express, { type Express } from 'express';
import { baseApp } from './base-app.ts';
import type { Config } from '../config/config.ts';
import type { PlatformBody } from '../../shared/api.ts';
import type { PlatformFacts } from '../labs/facts.ts';
import type { Logger } from '../logging/logger.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { errorHandler, pageNotFound, routeNotFound } from './error-handler.ts';
import { healthRoutes } from './health-routes.ts';
import { metricsRoute } from './metrics-route.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { labRoutes, type LabBodies } from './lab-routes.ts';
import { portsMoved, type PortsOrigin } from './ports-origin.ts';
import { sameOriginGuard } from './same-origin-guard.ts';
import { sessionRoutes } from './session-routes.ts';
import { meRoutes } from './me-routes.ts';
import { classRoutes } from './class-routes.ts';
import { instructorRoutes } from './instructor-routes.ts';
import type { Classroom } from '../classes/classroom.ts';
import type { LearnerProgress } from '../learners/learner-progress.ts';
import type { Store } from '../store/store.ts';
import { staticFiles } from './static-files.ts';

export interface AppDeps {
  sessions: SessionManager;
  labs: LabBodies;
  config: Pick<Config, 'trustProxy' | 'isolation'>;
  log: Logger;
  /** Folder of the bundled browser app (dist/web). */
  webRoot: string;
  metrics?: Metrics;
  /** What keeps the server from taking learners right now (the engine not answering), if anything. */
  unready: () => Promise<string | undefined>;
  /** The platform facts its lessons are taught with (`:::when` blocks). */
  facts: PlatformFacts;
  /** Origins, besides its own, whose pages may use the API (DRYDOCK_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** Where the ports listener serves published ports, as the browser asking reaches it. */
  portsOrigin: PortsOrigin;
  /** Learners (their cookie) and what they passed. */
  store: Store;
  progress: LearnerProgress;
  /** Classes and their instructors. */
  classroom: Classroom;
}

/** The HTTP side of the lab server: the JSON API and the browser app (ports have a listener of their own). */
export function createApp(deps: AppDeps): Express {
  const app = baseApp(deps.config, deps.log);
  app.use(healthRoutes(deps.sessions, deps.unready, deps.config.isolation));
  if (deps.metrics) app.use(metricsRoute(deps.metrics));
  app.use('/sessions', portsMoved(deps.portsOrigin));
  // Before the body parser: a refused request's body is never read.
  app.use('/api', sameOriginGuard(deps.allowedOrigins));
  app.use('/api', express.json({ limit: '16kb' }));
  app.use('/api/labs', labRoutes(deps.labs));
  // `drydock verify --server` proves a deployment's labs as that machine teaches them.
  // The lab view opens published ports at portsOrigin.
  app.get('/api/platform', (req, res) => {
    const body: PlatformBody = { facts: { ...deps.facts }, portsOrigin: deps.portsOrigin(req) };
    res.json(body);
  });
  app.use('/api/sessions', sessionRoutes(deps.sessions, deps.store));
  app.use('/api/me', meRoutes(deps.store, deps.progress));
  app.use('/api/instructor', instructorRoutes(deps.classroom));
  app.use('/api', classRoutes(deps.classroom.classes, deps.store));
  app.use('/api', routeNotFound);
  app.use(staticFiles(deps.webRoot));
  app.use(pageNotFound);
  app.use(errorHandler(deps.log, deps.metrics));
  return app;
}
