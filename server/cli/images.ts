/**
 * `npm run images`: builds every image the platform needs and seeds the mirror.
 * Current images and mirror contents are left alone, so a second run takes seconds.
 */
import { loadConfig } from '../config/config.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { assertEngineAnswers, connectDocker } from '../sandbox/docker-client.ts';
import { buildAllImages } from '../sandbox/images/build.ts';
import { ensureMirror } from '../sandbox/mirror.ts';
import { resolveMirrorUpstream } from '../sandbox/mirror-upstream.ts';

const log = (line: string) => console.log(line);

try {
  const config = loadConfig();
  const docker = connectDocker(config.dockerHost);
  await assertEngineAnswers(docker, config.dockerHost);
  const started = Date.now();
  const report = await buildAllImages(docker, log);
  const mirror = await ensureMirror(docker, { upstream: await resolveMirrorUpstream(config.mirrorUpstream) }, log);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `images: ${report.built.length} built, ${report.current.length} current; ` +
      `mirror at ${mirror.url} (seeded${mirror.upstream ? `, pulling through from ${mirror.upstream}` : ', offline'}); ${seconds}s`,
  );
} catch (err) {
  console.error(err instanceof DrydockError ? `error: ${err.message}` : err);
  process.exit(1);
}
