import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';

/** Seen from a manager: a node (by hostname) is ready, with the role, availability and labels given. */
export const swarmNode = defineCheckKind({
  name: 'swarm-node',
  summary: 'seen from a manager, a node is ready with the given role, availability and labels',
  params: z.strictObject({
    /** The node's hostname (a lab host name). */
    node: z.string().min(1),
    role: z.enum(['manager', 'worker']).optional(),
    availability: z.enum(['active', 'pause', 'drain']).optional(),
    labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  }),
  describe: (p) => `${p.node} is a ready swarm ${p.role ?? 'node'}${p.labels ? ` labelled ${labelText(p.labels)}` : ''}`,
  async run(p, target) {
    const swarm = (await target.engine.info()).Swarm;
    if (!swarm?.ControlAvailable) return fail(`${target.host.name} is not a swarm manager, so it cannot see the nodes: docker swarm init first`);
    const node = (await target.engine.nodes()).find((n) => n.Description.Hostname === p.node);
    if (!node) return fail(`${p.node} is not in the swarm of ${target.host.name}: run docker swarm join in ${p.node}`);
    if (node.Status.State !== 'ready') return fail(`${p.node} is ${node.Status.State} in the swarm, not ready`);
    if (p.role && node.Spec.Role !== p.role) {
      return fail(`${p.node} is a ${node.Spec.Role}, not a ${p.role}: docker node ${p.role === 'manager' ? 'promote' : 'demote'} ${p.node}`);
    }
    if (p.availability && node.Spec.Availability !== p.availability) {
      return fail(`${p.node} is ${node.Spec.Availability}, not ${p.availability}: docker node update --availability ${p.availability} ${p.node}`);
    }
    for (const [key, value] of Object.entries(p.labels ?? {})) {
      if (node.Spec.Labels[key] !== value)
        return fail(`${p.node} has no label ${key}=${value}: docker node update --label-add ${key}=${value} ${p.node}`);
    }
    return pass(`${p.node} is a ready ${node.Spec.Role}`);
  },
});

const labelText = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
