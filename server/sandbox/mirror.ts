import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { DrydockError } from '../errors/drydock-error.ts';
import { follow, type Progress } from './images/build.ts';
import { mirroredRefs } from './images/catalog.ts';
import { LABEL, labelsFor } from './labels.ts';

/**
 * The platform mirror: a distribution registry that every lab host's engine pulls through
 * (`registry-mirrors` in the host image's daemon.json names it by MIRROR_ALIAS).
 * One per engine, shared by all owners; it is never swept.
 *
 * Every session network reaches it, so it is read-only: a learner who could push to it would
 * replace the images every other learner pulls. Only the platform writes, through a short-lived
 * seeder on the same storage that no session network is attached to.
 */
export const MIRROR_CONTAINER = 'drydock-mirror';
export const MIRROR_ALIAS = 'drydock-mirror';
const SEEDER_CONTAINER = 'drydock-mirror-seeder';
export const MIRROR_VOLUME = 'drydock-mirror-data';
const REGISTRY_IMAGE = 'registry:2';
const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
/** The env form the 2.8 registry accepts for maintenance keys (see registry-facts: the flat key panics). */
const READ_ONLY = 'REGISTRY_STORAGE_MAINTENANCE={readonly: {enabled: true}}';
/** Bumped when the container's settings change in a way the image and env do not show. */
const MIRROR_SPEC = '2';

export interface MirrorOptions {
  /**
   * Empty: serve the seeded images only. A URL (already resolved, not `auto`): also pull any
   * other image through from that registry and cache it.
   */
  upstream: string;
  /**
   * Where the mirror (and its seeder) listen, on the engine's machine: loopback by default. A
   * cluster node's mirror listens on the node's side of its hosts' bridge instead, on port 5000,
   * the port the hosts' daemon.json names; the node's firewall keeps the seeder from them.
   */
  listen?: { address: string; port?: number };
}

export interface Mirror {
  containerId: string;
  /** Where this process reaches the mirror's API (published on loopback, or where `listen` says). */
  url: string;
  /** The registry it pulls through from, '' offline. */
  upstream: string;
}

/**
 * Starts the mirror if needed, recreating it when its image or mode changed, and seeds it with
 * the platform's images, in either mode: a 2.8 pull-through cache serves what its storage holds
 * when the upstream does not have a tag (or does not answer), so the seeded images work online
 * and offline alike.
 */
export async function ensureMirror(docker: Docker, options: MirrorOptions, progress: Progress): Promise<Mirror> {
  const registryId = await registryImageId(docker);
  // A pull-through cache refuses pushes by itself, and must write what it caches.
  const env = options.upstream ? [`REGISTRY_PROXY_REMOTEURL=${options.upstream}`] : [READ_ONLY];
  let info = await docker
    .getContainer(MIRROR_CONTAINER)
    .inspect()
    .catch(() => undefined);
  const stale =
    info &&
    (info.Image !== registryId ||
      !sameEnv(info.Config.Env ?? [], env) ||
      info.Config.Labels?.[LABEL.spec] !== MIRROR_SPEC ||
      !sameListen(info.HostConfig.PortBindings as PortBindings | undefined, options.listen));
  if (info && stale) {
    progress('mirror: image, mode or settings changed, recreating it (its cached data is kept)');
    await docker.getContainer(MIRROR_CONTAINER).remove({ force: true });
    info = undefined;
  }
  if (!info) {
    await ensureVolume(docker);
    await docker.createContainer(registryContainer('mirror', env, options.listen, { [LABEL.spec]: MIRROR_SPEC }));
  }
  const container = docker.getContainer(MIRROR_CONTAINER);
  if (!(await container.inspect()).State.Running) await container.start();
  const mirror = { containerId: (await container.inspect()).Id, url: await publishedUrl(container), upstream: options.upstream };
  await waitForApi(mirror.url, MIRROR_CONTAINER);
  // A recreated mirror has lost the session networks it was on, this server's or another's.
  if (!info) await reattachSessionNetworks(docker);
  await seedMirror(docker, mirror, mirroredRefs(), progress, options.listen);
  return mirror;
}

async function registryImageId(docker: Docker): Promise<string> {
  const id = (
    await docker
      .getImage(REGISTRY_IMAGE)
      .inspect()
      .catch(() => undefined)
  )?.Id;
  if (!id) throw new DrydockError('DD_IMAGE_MISSING', `image ${REGISTRY_IMAGE} is missing: run \`npm run images\` first`);
  return id;
}

type Listen = MirrorOptions['listen'];
type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[]>;

/**
 * The seeder is always on loopback as well: the engine pushes to it there, where it needs no TLS
 * (it trusts plain HTTP on loopback only).
 */
function portBindings(serving: boolean, listen: Listen): PortBindings {
  if (!listen) return { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] };
  if (serving) return { '5000/tcp': [{ HostIp: listen.address, HostPort: String(listen.port ?? '') }] };
  return {
    '5000/tcp': [
      { HostIp: listen.address, HostPort: '' },
      { HostIp: '127.0.0.1', HostPort: '' },
    ],
  };
}

function sameListen(actual: PortBindings | undefined, listen: Listen): boolean {
  const [want, have] = [portBindings(true, listen)['5000/tcp']![0]!, actual?.['5000/tcp']?.[0]];
  return have?.HostIp === want.HostIp && (have?.HostPort ?? '') === want.HostPort;
}

/** A registry on the mirror's storage, published on loopback only (or where `listen` says). */
function registryContainer(
  role: 'mirror' | 'mirror-seeder',
  env: string[],
  listen: Listen,
  labels: Record<string, string> = {},
): Docker.ContainerCreateOptions {
  const serving = role === 'mirror';
  return {
    name: serving ? MIRROR_CONTAINER : SEEDER_CONTAINER,
    Image: REGISTRY_IMAGE,
    Env: env,
    Labels: labelsFor('platform', role, labels),
    ExposedPorts: { '5000/tcp': {} },
    HostConfig: {
      RestartPolicy: { Name: serving ? 'unless-stopped' : 'no' },
      PortBindings: portBindings(serving, listen),
      Mounts: [{ Type: 'volume', Source: MIRROR_VOLUME, Target: '/var/lib/registry' }],
      Memory: 512 * 1024 * 1024,
      // It sits on every session network; nothing should route through it from one to another.
      Sysctls: { 'net.ipv4.ip_forward': '0', 'net.ipv6.conf.all.forwarding': '0' },
    },
  };
}

function sameEnv(actual: string[], wanted: string[]): boolean {
  const ours = actual.filter((e) => e.startsWith('REGISTRY_'));
  return ours.length === wanted.length && wanted.every((e) => ours.includes(e));
}

async function ensureVolume(docker: Docker): Promise<void> {
  const exists = await docker
    .getVolume(MIRROR_VOLUME)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!exists) await docker.createVolume({ Name: MIRROR_VOLUME, Labels: labelsFor('platform', 'mirror-data') });
}

async function reattachSessionNetworks(docker: Docker): Promise<void> {
  const networks = await docker.listNetworks({ filters: { label: [`${LABEL.managed}=true`] } });
  const sessionNetworks = networks.filter((n) => ['session-network', 'pool-network'].includes(n.Labels?.[LABEL.role] ?? ''));
  await Promise.all(sessionNetworks.map((n) => attachMirror(docker, n.Id).catch(() => {})));
}

/** Where the container's port 5000 is published on `address` (the first binding by default). */
async function publishedUrl(container: Docker.Container, address?: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const bindings = (await container.inspect()).NetworkSettings.Ports?.['5000/tcp'] ?? [];
    const binding = bindings.find((b) => !address || b.HostIp === address);
    if (binding?.HostPort) return `http://${binding.HostIp || '127.0.0.1'}:${binding.HostPort}`;
    await sleep(100);
  }
  throw new DrydockError('DD_MIRROR_FAILED', 'the mirror container has no published port 5000');
}

async function waitForApi(url: string, container: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new DrydockError('DD_MIRROR_FAILED', `the mirror does not answer at ${url}/v2/: see \`docker logs ${container}\``);
}

export interface MirroredRef {
  /** The image on the machine's engine. */
  local: string;
  /** As learners name it on Docker Hub: `alpine`, `myorg/tool`. */
  repository: string;
  tag: string;
}

/** The repository's path in the registry: official images live under `library/`. */
export function mirrorPath(repository: string): string {
  return repository.includes('/') ? repository : `library/${repository}`;
}

/**
 * Pushes each image whose content the mirror does not hold yet (compared by image ID), through a
 * writable seeder that lives only as long as the pushes. Returns the refs it pushed.
 */
export async function seedMirror(
  docker: Docker,
  mirror: Mirror,
  refs: readonly MirroredRef[],
  progress: Progress,
  listen?: Listen,
): Promise<MirroredRef[]> {
  const locals = await Promise.all(
    refs.map(async (ref) => {
      const local = await docker
        .getImage(ref.local)
        .inspect()
        .catch(() => undefined);
      if (!local)
        throw new DrydockError(
          'DD_IMAGE_MISSING',
          `image ${ref.local} is missing on this machine's engine: run \`npm run images\`, or \`docker pull\` or \`docker load\` it`,
        );
      return local.Id;
    }),
  );
  // A pull-through cache asked for a tag would fetch it from its upstream: ask the seeder instead.
  let seeder: Seeder | undefined = mirror.upstream ? await startSeeder(docker, listen) : undefined;
  try {
    const readFrom = seeder?.url ?? mirror.url;
    const missing: MirroredRef[] = [];
    for (const [i, ref] of refs.entries()) {
      if ((await mirroredConfigDigest(readFrom, mirrorPath(ref.repository), ref.tag)) !== locals[i]) missing.push(ref);
    }
    if (missing.length === 0) return [];
    seeder ??= await startSeeder(docker, listen);
    const host = seeder.pushHost;
    for (const ref of missing) {
      progress(`mirror: seeding ${mirrorPath(ref.repository)}:${ref.tag}`);
      const target = `${host}/${mirrorPath(ref.repository)}`;
      await docker.getImage(ref.local).tag({ repo: target, tag: ref.tag });
      try {
        await follow(docker, await docker.getImage(`${target}:${ref.tag}`).push({ authconfig: { serveraddress: host } }), () => {});
      } finally {
        await docker
          .getImage(`${target}:${ref.tag}`)
          .remove({ noprune: true })
          .catch(() => {});
      }
    }
    return missing;
  } finally {
    await seeder?.remove();
  }
}

/** A writable registry on the mirror's storage, on loopback only, for as long as a seeding takes. */
interface Seeder {
  /** Where this process reaches it. */
  url: string;
  /** Where the engine pushes to it: loopback. */
  pushHost: string;
  remove(): Promise<void>;
}

async function startSeeder(docker: Docker, listen: Listen): Promise<Seeder> {
  await docker
    .getContainer(SEEDER_CONTAINER)
    .remove({ force: true })
    .catch(() => {});
  const seeder = await docker.createContainer(registryContainer('mirror-seeder', [], listen));
  const remove = () => seeder.remove({ force: true }).catch(() => {});
  try {
    await seeder.start();
    const [url, pushUrl] = await Promise.all([publishedUrl(seeder, listen?.address), publishedUrl(seeder, '127.0.0.1')]);
    await waitForApi(url, SEEDER_CONTAINER);
    return { url, pushHost: new URL(pushUrl).host, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

/** The image ID (config digest) the mirror serves for a tag, if any. */
async function mirroredConfigDigest(url: string, path: string, tag: string): Promise<string | undefined> {
  const res = await fetch(`${url}/v2/${path}/manifests/${tag}`, { headers: { Accept: MANIFEST_V2 } }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const manifest = (await res.json()) as { config?: { digest?: string } };
  return manifest.config?.digest;
}

/** Where a running mirror answers on loopback, without starting or changing it; undefined if it does not run. */
export async function runningMirrorUrl(docker: Docker): Promise<string | undefined> {
  const info = await docker
    .getContainer(MIRROR_CONTAINER)
    .inspect()
    .catch(() => undefined);
  const port = info?.State.Running ? info.NetworkSettings.Ports?.['5000/tcp']?.[0]?.HostPort : undefined;
  return port ? `http://127.0.0.1:${port}` : undefined;
}

/** Puts the mirror on a session network under the name the hosts' daemon.json uses. */
export async function attachMirror(docker: Docker, networkId: string): Promise<void> {
  await docker.getNetwork(networkId).connect({ Container: MIRROR_CONTAINER, EndpointConfig: { Aliases: [MIRROR_ALIAS] } });
}
