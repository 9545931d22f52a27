import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import type { SwarmService } from '../engine/engine-types.ts';
import { sameImage } from '../engine/image-ref.ts';
import { imageReference, oneOrMany, portMapping } from './params.ts';

/** `5000:5000` (ingress) or `{ published: 5000, target: 5000, mode: host }`. */
const servicePort = z.union([
  portMapping.transform((m) => ({ ...m, mode: undefined })),
  z
    .strictObject({
      published: z.number().int().min(1).max(65535),
      target: z.number().int().min(1).max(65535),
      protocol: z.enum(['tcp', 'udp', 'sctp']).default('tcp'),
      mode: z.enum(['ingress', 'host']).optional(),
    })
    .transform((m) => ({ ...m, text: `${m.published}:${m.target}${m.mode ? ` (mode ${m.mode})` : ''}` })),
]);

/** Seen from a manager: a service with its image, mode, replicas, published ports and placement, its tasks running. */
export const swarmService = defineCheckKind({
  name: 'swarm-service',
  summary: 'seen from a manager, a service runs with the given image, mode, replicas, published ports and constraints',
  params: z.strictObject({
    name: z.string().min(1),
    image: imageReference.optional(),
    mode: z.enum(['replicated', 'global']).optional(),
    replicas: z.number().int().min(0).optional(),
    publish: oneOrMany(servicePort).optional(),
    /** Placement constraints it must have, as written on the command line (`node.role==manager`). */
    constraints: oneOrMany(z.string().min(1)).optional(),
  }),
  describe: (p) =>
    `the service ${p.name} runs${p.replicas !== undefined ? ` ${p.replicas} replicas` : ''}${p.publish ? ` and publishes ${p.publish.map((m) => m.text).join(', ')}` : ''}`,
  async run(p, target) {
    const swarm = (await target.engine.info()).Swarm;
    if (!swarm?.ControlAvailable) return fail(`${target.host.name} is not a swarm manager, so it cannot see services: docker swarm init first`);
    const service = (await target.engine.services({ name: [p.name] })).find((s) => s.Spec.Name === p.name);
    if (!service) return fail(`there is no service ${p.name}: docker service create --name ${p.name} ...`);
    const problem = specProblem(service, p);
    if (problem) return fail(`the service ${p.name} ${problem}`);
    const tasks = await target.engine.tasks({ service: [service.ID], 'desired-state': ['running'] });
    const running = tasks.filter((t) => t.Status.State === 'running').length;
    const wanted = service.Spec.Mode.Replicated ? service.Spec.Mode.Replicated.Replicas : Math.max(tasks.length, 1);
    if (running < wanted) {
      return fail(`the service ${p.name} has ${running} of ${wanted} tasks running: see docker service ps ${p.name} --no-trunc for why`);
    }
    return pass(`the service ${p.name} runs ${running} task${running === 1 ? '' : 's'}`);
  },
});

type Params = Parameters<typeof swarmService.run>[0];

function specProblem(s: SwarmService, p: Params): string | undefined {
  const image = s.Spec.TaskTemplate.ContainerSpec?.Image ?? '';
  if (p.image && !sameImage(p.image, image.replace(/@sha256:[0-9a-f]+$/, ''))) return `runs ${image}, not ${p.image}`;
  const mode = s.Spec.Mode.Global ? 'global' : 'replicated';
  if (p.mode && mode !== p.mode) return `is ${mode}, not ${p.mode} (docker service create --mode ${p.mode})`;
  const replicas = s.Spec.Mode.Replicated?.Replicas;
  if (p.replicas !== undefined && replicas !== p.replicas)
    return `asks for ${replicas ?? 'one per node'} replicas, not ${p.replicas}: docker service scale ${p.name}=${p.replicas}`;
  for (const port of p.publish ?? []) {
    const found = s.Endpoint.Ports.find((x) => x.PublishedPort === port.published && x.TargetPort === port.target && x.Protocol === port.protocol);
    if (!found)
      return `does not publish ${port.text} (--publish published=${port.published},target=${port.target}${port.mode ? `,mode=${port.mode}` : ''})`;
    if (port.mode && found.PublishMode !== port.mode) return `publishes ${port.published} in ${found.PublishMode} mode, not ${port.mode}`;
  }
  const constraints = (s.Spec.TaskTemplate.Placement?.Constraints ?? []).map(compact);
  for (const c of p.constraints ?? []) {
    if (!constraints.includes(compact(c))) return `has no placement constraint ${c} (--constraint '${c}')`;
  }
  return undefined;
}

const compact = (constraint: string): string => constraint.replace(/\s+/g, '');
