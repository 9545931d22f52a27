import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; DRYDOCK_LOG_LEVEL=silent quiets them (tests). */
export function createLogger(level = process.env.DRYDOCK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'drydock' } });
}
