import { Router } from 'express';
import type { Config } from '../config/config.ts';
import type { SessionManager } from '../sessions/session-manager.ts';

/**
 * Probes for an orchestrator or load balancer, outside /api and without authentication.
 * - GET /healthz: the process serves HTTP (liveness).
 * - GET /readyz: the server can take learners. It listens only once start-up is done (engine
 *   answering, platform images present, mirror up, firewall installed) and stops listening
 *   first when it shuts down; in between it answers 503 while the engine does not answer (an
 *   engine restart), so a load balancer sends learners elsewhere. Both answers name the isolation
 *   lab hosts run with (DRYDOCK_ISOLATION): the server refuses to start rather than fall back.
 */
export function healthRoutes(
  sessions: Pick<SessionManager, 'count'>,
  unready: () => Promise<string | undefined>,
  isolation: Config['isolation'],
): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    const problem = await unready();
    res.set('cache-control', 'no-store');
    if (problem) res.status(503).json({ ready: false, problem, isolation, sessions: sessions.count });
    else res.json({ ready: true, isolation, sessions: sessions.count });
  });
  return router;
}
