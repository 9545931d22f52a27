import type Docker from 'dockerode';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DrydockError } from '../../errors/drydock-error.ts';
import { mirrorPath, seedMirror, type Mirror, type MirroredRef } from '../mirror.ts';
import { follow, type Progress } from './build.ts';
import { hubName, parseImageRef } from './image-ref.ts';

/**
 * What `drydock images add` does: puts images from this machine's engine into the mirror, so
 * learners' `docker pull NAME` works offline. They live in the mirror's volume, so they outlast
 * the mirror container and later seedings (which only ever add).
 */
export async function addImagesToMirror(docker: Docker, mirror: Mirror, names: readonly string[], progress: Progress): Promise<MirroredRef[]> {
  const refs = names.map(toMirroredRef);
  const added = await seedMirror(docker, mirror, refs, progress);
  for (const ref of refs) {
    const name = `${ref.repository}:${ref.tag}`;
    progress(added.includes(ref) ? `added ${name}` : `${name}: already in the mirror`);
  }
  return refs;
}

/**
 * Copies each named image the engine lacks from another engine that has it (`docker save`, then
 * load): with user-namespaced hosts the mirror lives on the engine Drydock owns, while a plain
 * `docker pull` on this machine fills the machine's own. Names neither has are left for the
 * mirror's seeding to report.
 */
export async function copyMissingImages(from: Docker, to: Docker, names: readonly string[], progress: Progress): Promise<void> {
  const has = (engine: Docker, name: string) =>
    engine
      .getImage(name)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  for (const { local } of names.map(toMirroredRef)) {
    if ((await has(to, local)) || !(await has(from, local))) continue;
    progress(`copying ${local} from the machine's engine`);
    await follow(to, await to.loadImage(await from.getImage(local).get(), { quiet: true }), () => {});
  }
}

/** Loads a `docker save` tar into this machine's engine; returns the names it held. */
export async function loadImageTar(docker: Docker, file: string): Promise<string[]> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new DrydockError('DD_IMAGE_MISSING', `${file}: no such file; make one with \`docker save NAME:TAG -o ${file}\``);
  const names: string[] = [];
  const stream = await docker.loadImage(createReadStream(file), { quiet: true });
  await follow(docker, stream, (event) => {
    const line = typeof event.stream === 'string' ? event.stream : '';
    const loaded = /^Loaded image: (\S+)/.exec(line);
    if (loaded) names.push(loaded[1]!);
  }).catch((cause) => {
    throw new DrydockError('DD_IMAGE_MISSING', `${file} is not an image archive the engine can load (${(cause as Error).message}); make one with \`docker save\``, { cause });
  });
  if (names.length === 0) {
    throw new DrydockError('DD_IMAGE_MISSING', `${file} holds images without names, which the mirror cannot serve: save them by name, \`docker save NAME:TAG -o ${file}\``);
  }
  return names;
}

/** `alpine:3.19` → served as library/alpine:3.19, from the engine's `alpine:3.19`. */
function toMirroredRef(name: string): MirroredRef {
  const ref = parseImageRef(name);
  if (!ref) throw new DrydockError('DD_BAD_REQUEST', `"${name}" is not an image name; write it as NAME or NAME:TAG, e.g. alpine:3.19`);
  if (ref.registry) {
    throw new DrydockError('DD_BAD_REQUEST', `${name} is on ${ref.registry}; the mirror serves Docker Hub names only: tag it as a Docker Hub name first (docker tag ${name} NAME:TAG)`);
  }
  if (ref.digest) throw new DrydockError('DD_BAD_REQUEST', `${name}: name the image by tag, not by digest (learners pull NAME:TAG)`);
  const repository = ref.path.replace(/^library\//, '');
  if (mirrorPath(repository) !== ref.path) throw new DrydockError('DD_BAD_REQUEST', `${name}: unexpected repository path ${ref.path}`);
  return { local: `${hubName({ path: ref.path, tag: 'latest' })}:${ref.tag}`, repository, tag: ref.tag };
}
