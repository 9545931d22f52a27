import express, { type Express } from 'express';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { requestLog } from './request-log.ts';
import { requireHost } from './require-host.ts';

/**
 * What both of Drydock's listeners (its own and the ports') start with, so they cannot drift
 * apart: where req.ip comes from (and so which learner or address a limit counts against), the
 * request log, and a refusal of requests without Host.
 */
export function baseApp(config: Pick<Config, 'trustProxy'>, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLog(log));
  app.use(requireHost);
  return app;
}
