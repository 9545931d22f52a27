import { z } from 'zod';
import { defineCheckKind, fail, pass, type CheckTarget } from '../check-kind.ts';
import type { ContainerDetails, ContainerSummary } from '../engine/engine-types.ts';
import { sameImage } from '../engine/image-ref.ts';
import { absolutePath, imageReference, oneOrMany, portMapping, type PortMapping } from './params.ts';

const params = z
  .strictObject({
    /** Container name (`--name`). */
    name: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container name such as registry')
      .optional(),
    /** Image it runs; without a tag any tag of the repository will do. */
    image: imageReference.optional(),
    /** Published ports, `published:target` (`-p 5000:5000`). */
    publish: oneOrMany(portMapping).optional(),
    restart: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).optional(),
    /** Environment variables it must have, with these values. */
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
    /** Mount points; with `source`, the bind source path or volume name mounted there. */
    mounts: z.array(z.strictObject({ target: absolutePath, source: z.string().min(1).optional() })).optional(),
  })
  .refine((p) => p.name !== undefined || p.image !== undefined, { message: 'say which container: give its name, its image, or both' });
type Params = z.output<typeof params>;

/** A container runs in the host, with the name, image, ports, restart policy, env and mounts given. */
export const containerRunning = defineCheckKind({
  name: 'container-running',
  summary: 'a container runs, with the given name, image, published ports, restart policy, environment and mounts',
  params,
  describe: (p) =>
    `a container ${p.name ? `named ${p.name}` : `of ${p.image}`} is running${p.publish ? ` and publishes ${p.publish.map((m) => m.text).join(', ')}` : ''}`,
  async run(p, target) {
    const what = p.name ? `named ${p.name}` : `of image ${p.image}`;
    const candidates = p.name
      ? await target.engine.containers({ name: [`^/${p.name.replace(/\./g, '\\.')}$`] })
      : (await target.engine.containers({ status: ['running'] })).filter((c) => sameImage(p.image!, c.Image));
    if (candidates.length === 0) return fail(`there is no container ${what} in ${target.host.name}: start one with docker run${runHint(p)}`);
    const running = candidates.filter((c) => c.State === 'running');
    if (running.length === 0) {
      return fail(
        `the container ${what} is ${candidates[0]!.State}, not running: see docker logs ${p.name ?? candidates[0]!.Id.slice(0, 12)}, then start it again`,
      );
    }
    let firstProblems: string[] = [];
    for (const summary of running) {
      const problems = await mismatches(summary, p, target);
      if (problems.length === 0) return pass(`the container ${name(summary)} runs in ${target.host.name}`);
      if (firstProblems.length === 0) firstProblems = problems;
    }
    return fail(`the container ${name(running[0]!)} runs, but ${firstProblems.join('; ')}`);
  },
});

async function mismatches(summary: ContainerSummary, p: Params, target: CheckTarget): Promise<string[]> {
  const details = await target.engine.container(summary.Id);
  if (!details) return ['it went away while being looked at'];
  return [
    ...(p.image && !sameImage(p.image, details.Config.Image) ? [`it runs ${details.Config.Image}, not ${p.image}`] : []),
    ...(p.publish ?? []).flatMap((m) => portProblem(summary, m)),
    ...(p.restart ? restartProblem(details, p.restart) : []),
    ...Object.entries(p.env ?? {}).flatMap(([k, v]) => envProblem(details, k, v)),
    ...(p.mounts ?? []).flatMap((m) => mountProblem(details, m.target, m.source)),
  ];
}

function portProblem(c: ContainerSummary, m: PortMapping): string[] {
  if (c.Ports.some((x) => x.PublicPort === m.published && x.PrivatePort === m.target && x.Type === m.protocol)) return [];
  const published = [...new Set(c.Ports.filter((x) => x.PublicPort).map((x) => `${x.PublicPort}:${x.PrivatePort}`))];
  const now = published.length ? `it publishes ${published.join(', ')}` : 'it publishes no port';
  return [`${now}, not ${m.text} (docker run -p ${m.text})`];
}

function restartProblem(d: ContainerDetails, wanted: string): string[] {
  const actual = d.HostConfig.RestartPolicy?.Name || 'no';
  return actual === wanted
    ? []
    : [`its restart policy is ${actual}, not ${wanted} (docker run --restart ${wanted}, or docker update --restart ${wanted})`];
}

function envProblem(d: ContainerDetails, key: string, value: string): string[] {
  const entry = (d.Config.Env ?? []).find((e) => e.startsWith(`${key}=`));
  if (entry === `${key}=${value}`) return [];
  return [entry ? `its ${key} is "${entry.slice(key.length + 1)}", not "${value}"` : `it has no ${key} in its environment (-e ${key}=${value})`];
}

function mountProblem(d: ContainerDetails, mountTarget: string, source: string | undefined): string[] {
  const mount = d.Mounts.find((m) => trimSlash(m.Destination) === trimSlash(mountTarget));
  if (!mount) return [`nothing is mounted on ${mountTarget} (-v ${source ?? 'SOURCE'}:${mountTarget})`];
  if (source === undefined) return [];
  const actual = mount.Type === 'volume' ? (mount.Name ?? mount.Source) : mount.Source;
  return trimSlash(actual) === trimSlash(source) ? [] : [`it mounts ${actual} on ${mountTarget}, not ${source}`];
}

const trimSlash = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

const name = (c: ContainerSummary): string => c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12);

function runHint(p: Params): string {
  const parts = [
    ...(p.name ? [`--name ${p.name}`] : []),
    ...(p.publish ?? []).map((m) => `-p ${m.text}`),
    ...(p.restart ? [`--restart ${p.restart}`] : []),
    p.image ?? 'IMAGE',
  ];
  return ` -d ${parts.join(' ')}`;
}
