import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';

/** The host's engine is in an active swarm, as a manager or worker, with at least `nodes` ready nodes. */
export const swarmActive = defineCheckKind({
  name: 'swarm-active',
  summary: 'the host is in an active swarm (optionally as manager or worker, with at least N ready nodes)',
  params: z.strictObject({
    role: z.enum(['manager', 'worker']).optional(),
    /** At least this many ready nodes (read on a manager). */
    nodes: z.number().int().min(1).optional(),
  }),
  describe: (p) => `the host is in a swarm${p.role ? ` as a ${p.role}` : ''}${p.nodes ? ` of ${p.nodes} nodes` : ''}`,
  async run(p, target) {
    const host = target.host.name;
    const swarm = (await target.engine.info()).Swarm;
    const state = swarm?.LocalNodeState || 'inactive';
    if (state !== 'active') {
      const todo =
        p.role === 'worker' ? 'join it with the command docker swarm init printed on the manager' : 'docker swarm init --advertise-addr ADDRESS';
      return fail(`${host} is not in a swarm (its state is ${state}): ${todo}`);
    }
    const role = swarm?.ControlAvailable ? 'manager' : 'worker';
    if (p.role && role !== p.role) return fail(`${host} is a swarm ${role}, not a ${p.role}`);
    if (p.nodes) {
      if (role !== 'manager') return fail(`${host} is a worker; the number of nodes can be read only on a manager`);
      const ready = (await target.engine.nodes()).filter((n) => n.Status.State === 'ready');
      if (ready.length < p.nodes) {
        return fail(
          `the swarm of ${host} has ${ready.length} ready node${ready.length === 1 ? '' : 's'}, not ${p.nodes}: join the others with docker swarm join`,
        );
      }
    }
    return pass(`${host} is a swarm ${role}`);
  },
});
