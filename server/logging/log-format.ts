/** DRYDOCK_LOG_FORMAT: `auto` picks by where the log goes. */
export const logFormats = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

/**
 * Readable lines for a person at a terminal; JSON for everything else (a file, a pipe, a log
 * collector, `docker logs`), where a program reads them. An explicit setting wins.
 */
export function chooseLogFormat(setting: LogFormat, outputIsTerminal: boolean): 'json' | 'pretty' {
  if (setting !== 'auto') return setting;
  return outputIsTerminal ? 'pretty' : 'json';
}
