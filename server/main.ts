/**
 * The lab server: config → logger → sandbox → labs → sessions → HTTP and WebSockets.
 * `npm start`; settings come from DRYDOCK_* variables or the same names as flags
 * (`--port 9000`, `--sessions-total 50`).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { configSchema, envName, loadConfig, type Config } from './config/config.ts';
import { formatLabError } from './labs/lab.ts';
import { loadLabCatalog } from './labs/load.ts';
import { createLogger } from './logging/logger.ts';
import { ensurePlatformImages } from './sandbox/first-start.ts';
import { startDrydock } from './drydock.ts';

const WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

/** Every config key as a flag: sessionIdleSeconds → --session-idle-seconds. Flags beat the environment. */
function flagOverrides(argv: string[]): Partial<Config> {
  const keys = Object.keys(configSchema.shape);
  const flag = (key: string) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  const { values } = parseArgs({ args: argv, options: Object.fromEntries(keys.map((k) => [flag(k), { type: 'string' as const }])) });
  return Object.fromEntries(keys.filter((k) => values[flag(k)] !== undefined).map((k) => [k, values[flag(k)]])) as Partial<Config>;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, flagOverrides(process.argv.slice(2)));
  const log = createLogger(undefined, config.logFormat);
  const catalog = await loadLabCatalog(config.labsDir);
  for (const error of catalog.errors) log.warn(formatLabError(error));
  log.info({ labs: catalog.labs.map((l) => l.id), dir: config.labsDir }, 'labs loaded');
  await ensurePlatformImages(config, log);
  const drydock = await startDrydock({
    config,
    log,
    labs: catalog.labs,
    webRoot: WEB_ROOT,
    ...(config.devMode ? { watchLabsDir: config.labsDir } : {}),
  });
  log.info({ url: drydock.url, isolation: config.isolation }, 'Drydock is ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const keepHosts = config.shutdownHosts === 'keep';
    log.info({ signal, hosts: config.shutdownHosts }, keepHosts ? 'stopping: sessions stay for the next start' : 'shutting down: ending sessions');
    await drydock.close({ keepHosts });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  // The configuration may be what failed: take the format from it alone, `auto` if it too is wrong.
  const format = configSchema.shape.logFormat.catch('auto').parse(process.env[envName('logFormat')]);
  createLogger(undefined, format).fatal({ err }, err?.message ?? 'could not start');
  process.exit(1);
});
