import { Command } from 'commander';
import { ENGINE_SOCKETS, loadConfig } from '../config/config.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { assertEngineAnswers, connectDocker } from '../sandbox/docker-client.ts';
import { addImagesToMirror, copyMissingImages, loadImageTar } from '../sandbox/images/add-images.ts';
import { ensureMirror } from '../sandbox/mirror.ts';
import { readMirrorCatalog } from '../sandbox/mirror-catalog.ts';
import { resolveMirrorUpstream } from '../sandbox/mirror-upstream.ts';

const log = (line: string) => console.log(line);

/** `drydock images add NAME... | --from-tar FILE`, `drydock images list`: the mirror's images. */
export function imagesCommand(): Command {
  const images = new Command('images').description("the platform mirror's images, which learners pull offline");
  images
    .command('add')
    .description("add images from this machine's engine (or a `docker save` tar) to the mirror")
    .argument('[names...]', 'images on this machine, e.g. alpine:3.19 ubuntu:22.04')
    .option('--from-tar <file>', 'load the images in this tar (made by `docker save`) and add them')
    .action(async (names: string[], options: { fromTar?: string }) => {
      const { docker, config } = await connect();
      const loaded = options.fromTar ? await loadImageTar(docker, options.fromTar) : [];
      const all = [...names, ...loaded];
      if (all.length === 0)
        throw new DrydockError('DD_BAD_REQUEST', 'name the images to add (e.g. `images add alpine:3.19`) or give --from-tar FILE');
      const machine = connectDocker(ENGINE_SOCKETS.privileged);
      if (
        config.dockerHost !== ENGINE_SOCKETS.privileged &&
        (await machine.ping().then(
          () => true,
          () => false,
        ))
      ) {
        await copyMissingImages(machine, docker, names, log);
      }
      const mirror = await ensureMirror(docker, { upstream: await resolveMirrorUpstream(config.mirrorUpstream) }, log);
      await addImagesToMirror(docker, mirror, all, log);
    });
  images
    .command('list')
    .description('print every image the mirror serves')
    .action(async () => {
      const { docker, config } = await connect();
      const mirror = await ensureMirror(docker, { upstream: await resolveMirrorUpstream(config.mirrorUpstream) }, () => {});
      for (const name of (await readMirrorCatalog(mirror.url)) ?? []) log(name);
    });
  return images;
}

async function connect() {
  const config = loadConfig();
  const docker = connectDocker(config.dockerHost);
  await assertEngineAnswers(docker, config.dockerHost);
  return { docker, config };
}
