import { Router } from 'express';
import type { SessionManager } from '../sessions/session-manager.ts';

/**
 * Probes for an orchestrator or load balancer, outside /api and without authentication.
 * - GET /healthz: the process serves HTTP (liveness).
 * - GET /readyz: the server can take learners. It listens only once start-up is done (engine
 *   answering, platform images present, mirror up, firewall installed), and stops listening
 *   first when it shuts down, so answering at all means ready.
 */
export function healthRoutes(sessions: Pick<SessionManager, 'count'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ ok: true });
  });
  router.get('/readyz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ ready: true, sessions: sessions.count });
  });
  return router;
}
