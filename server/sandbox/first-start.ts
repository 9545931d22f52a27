import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { assertEngineAnswers, connectDocker } from './docker-client.ts';
import { buildAllImages } from './images/build.ts';
import { LABHOST_IMAGE } from './images/catalog.ts';

/**
 * The first start on an engine without the platform images (a fresh server image beside a fresh
 * engine) builds them, with progress in the log, instead of refusing to start. An engine that
 * has the lab host image is left alone: `npm run images` rebuilds what is stale. The mirror is
 * started and seeded by `DockerSandbox.start` right after.
 */
export async function ensurePlatformImages(config: Config, log: Logger): Promise<void> {
  const docker = connectDocker(config.dockerHost);
  await assertEngineAnswers(docker, config.dockerHost);
  const present = await docker
    .getImage(LABHOST_IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) return;
  log.info(`first start on this engine: ${LABHOST_IMAGE} is missing, building the platform images (a few minutes)`);
  const started = Date.now();
  const report = await buildAllImages(docker, (line) => log.info({ phase: 'images' }, line));
  log.info({ built: report.built, current: report.current, seconds: Math.round((Date.now() - started) / 1000) }, 'platform images ready');
}
