import { Router } from 'express';
import type { Metrics } from '../metrics/metrics.ts';

/**
 * GET /metrics in Prometheus' text format. Like the health probes it needs no session token;
 * it tells counts and timings, never tokens, addresses or lab content. Keep the server's port
 * off the internet, or filter /metrics at the reverse proxy.
 */
export function metricsRoute(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
