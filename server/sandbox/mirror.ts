import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { DrydockError } from '../errors/drydock-error.ts';
import { follow, type Progress } from './images/build.ts';
import { mirroredRefs } from './images/catalog.ts';
import { labelsFor } from './labels.ts';

/**
 * The platform mirror: a distribution registry that every lab host's engine pulls through
 * (`registry-mirrors` in the host image's daemon.json names it by MIRROR_ALIAS).
 * One per engine, shared by all owners; it is never swept.
 */
export const MIRROR_CONTAINER = 'drydock-mirror';
export const MIRROR_ALIAS = 'drydock-mirror';
const MIRROR_VOLUME = 'drydock-mirror-data';
const REGISTRY_IMAGE = 'registry:2';
const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

export interface MirrorOptions {
  /** Empty: seed with local images. A URL: run as a pull-through cache of that registry. */
  upstream: string;
}

export interface Mirror {
  containerId: string;
  /** Where this process reaches the mirror's API (published on loopback). */
  url: string;
}

/** Starts the mirror if needed, recreating it when its image or mode changed; seeds it offline. */
export async function ensureMirror(docker: Docker, options: MirrorOptions, progress: Progress): Promise<Mirror> {
  const registryId = (await docker.getImage(REGISTRY_IMAGE).inspect().catch(() => undefined))?.Id;
  if (!registryId) {
    throw new DrydockError('DD_IMAGE_MISSING', `image ${REGISTRY_IMAGE} is missing: run \`npm run images\` first`);
  }
  const env = options.upstream ? [`REGISTRY_PROXY_REMOTEURL=${options.upstream}`] : [];
  let info = await docker.getContainer(MIRROR_CONTAINER).inspect().catch(() => undefined);
  const stale = info && (info.Image !== registryId || !sameEnv(info.Config.Env ?? [], env));
  if (info && stale) {
    progress('mirror: image or mode changed, recreating it (its cached data is kept)');
    await docker.getContainer(MIRROR_CONTAINER).remove({ force: true });
    info = undefined;
  }
  if (!info) {
    await ensureVolume(docker);
    await docker.createContainer({
      name: MIRROR_CONTAINER,
      Image: REGISTRY_IMAGE,
      Env: env,
      Labels: labelsFor('platform', 'mirror'),
      ExposedPorts: { '5000/tcp': {} },
      HostConfig: {
        RestartPolicy: { Name: 'unless-stopped' },
        PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        Mounts: [{ Type: 'volume', Source: MIRROR_VOLUME, Target: '/var/lib/registry' }],
        Memory: 512 * 1024 * 1024,
      },
    });
  }
  const container = docker.getContainer(MIRROR_CONTAINER);
  if (!(await container.inspect()).State.Running) await container.start();
  const mirror = { containerId: (await container.inspect()).Id, url: await publishedUrl(container) };
  await waitForApi(mirror.url);
  if (!options.upstream) await seedMirror(docker, mirror, progress);
  return mirror;
}

function sameEnv(actual: string[], wanted: string[]): boolean {
  const ours = actual.filter((e) => e.startsWith('REGISTRY_'));
  return ours.length === wanted.length && wanted.every((e) => ours.includes(e));
}

async function ensureVolume(docker: Docker): Promise<void> {
  const exists = await docker.getVolume(MIRROR_VOLUME).inspect().then(() => true, () => false);
  if (!exists) await docker.createVolume({ Name: MIRROR_VOLUME, Labels: labelsFor('platform', 'mirror-data') });
}

async function publishedUrl(container: Docker.Container): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const port = (await container.inspect()).NetworkSettings.Ports?.['5000/tcp']?.[0]?.HostPort;
    if (port) return `http://127.0.0.1:${port}`;
    await sleep(100);
  }
  throw new DrydockError('DD_MIRROR_FAILED', 'the mirror container has no published port 5000');
}

async function waitForApi(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/v2/`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new DrydockError('DD_MIRROR_FAILED', `the mirror does not answer at ${url}/v2/: see \`docker logs ${MIRROR_CONTAINER}\``);
}

/** Pushes each lesson image whose content the mirror does not hold yet (compared by image ID). */
async function seedMirror(docker: Docker, mirror: Mirror, progress: Progress): Promise<void> {
  const host = new URL(mirror.url).host;
  for (const ref of mirroredRefs()) {
    const local = await docker.getImage(ref.local).inspect().catch(() => undefined);
    if (!local) throw new DrydockError('DD_IMAGE_MISSING', `image ${ref.local} is missing: run \`npm run images\``);
    const path = `library/${ref.repository}`;
    if ((await mirroredConfigDigest(mirror.url, path, ref.tag)) === local.Id) continue;
    progress(`mirror: seeding ${path}:${ref.tag}`);
    const target = `${host}/${path}`;
    await docker.getImage(ref.local).tag({ repo: target, tag: ref.tag });
    try {
      await follow(docker, await docker.getImage(`${target}:${ref.tag}`).push({ authconfig: { serveraddress: host } }), () => {});
    } finally {
      await docker.getImage(`${target}:${ref.tag}`).remove({ noprune: true }).catch(() => {});
    }
  }
}

/** The image ID (config digest) the mirror serves for a tag, if any. */
async function mirroredConfigDigest(url: string, path: string, tag: string): Promise<string | undefined> {
  const res = await fetch(`${url}/v2/${path}/manifests/${tag}`, { headers: { Accept: MANIFEST_V2 } }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const manifest = (await res.json()) as { config?: { digest?: string } };
  return manifest.config?.digest;
}

/** Puts the mirror on a session network under the name the hosts' daemon.json uses. */
export async function attachMirror(docker: Docker, networkId: string): Promise<void> {
  await docker.getNetwork(networkId).connect({ Container: MIRROR_CONTAINER, EndpointConfig: { Aliases: [MIRROR_ALIAS] } });
}

