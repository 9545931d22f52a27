import { pino, type Logger } from 'pino';
import { chooseLogFormat, type LogFormat } from './log-format.ts';
import { prettyDestination } from './pretty.ts';

export type { Logger };

/**
 * Logs on stdout: readable lines at a terminal, JSON otherwise (`format`, DRYDOCK_LOG_FORMAT).
 * DRYDOCK_LOG_LEVEL=silent quiets them (tests).
 */
export function createLogger(level = process.env.DRYDOCK_LOG_LEVEL ?? 'info', format: LogFormat = 'auto'): Logger {
  const options = { level, base: { service: 'drydock' } };
  if (chooseLogFormat(format, process.stdout.isTTY === true) === 'json') return pino(options);
  // NO_COLOR: https://no-color.org
  return pino(options, prettyDestination(process.stdout, process.stdout.isTTY === true && !process.env.NO_COLOR));
}
