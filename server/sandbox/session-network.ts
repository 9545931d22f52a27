import type Docker from 'dockerode';
import { networkInterfaces } from 'node:os';
import { labelsFor, type Role } from './labels.ts';
import { attachMirror, MIRROR_CONTAINER } from './mirror.ts';
import { gatewayOf, overlapsNarrower, type SubnetAllocator } from './subnets.ts';

export interface SessionNetwork {
  id: string;
  name: string;
  subnet: string;
  /** The machine's address on this network. */
  gateway: string;
}

/**
 * A private, internal bridge network: its hosts reach each other and the mirror by name, and
 * nothing else (no route out, and the engine isolates bridges from each other).
 */
export async function createSessionNetwork(
  docker: Docker,
  subnets: SubnetAllocator,
  name: string,
  labels: { owner: string; role: Extract<Role, 'session-network' | 'pool-network'>; extra?: Record<string, string> },
): Promise<SessionNetwork> {
  for (let attempt = 0; ; attempt++) {
    const subnet = subnets.take();
    // Left marked as taken: it belongs to something else on this machine.
    if (onThisMachine(subnet, subnets.rangePrefix)) continue;
    try {
      const network = await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        Internal: true,
        CheckDuplicate: true,
        IPAM: { Config: [{ Subnet: subnet, Gateway: gatewayOf(subnet) }] },
        Labels: labelsFor(labels.owner, labels.role, labels.extra),
      });
      await attachMirror(docker, network.id);
      return { id: network.id, name, subnet, gateway: gatewayOf(subnet) };
    } catch (err) {
      // Another Drydock (or anything else) on this engine took subnets since we last looked:
      // keep this one marked as used, learn what else is taken, and try again.
      if (attempt < 4 && /overlap/i.test(String((err as Error).message))) {
        await markSubnetsInUse(docker, subnets);
        continue;
      }
      subnets.release(subnet);
      throw err;
    }
  }
}

/**
 * Whether a network of this machine, narrower than the whole range, overlaps the subnet: another
 * engine's bridge (Drydock's own engine and the machine's each see only their own networks, the
 * kernel sees both, and two bridges on one subnet would route each other's traffic astray). A
 * network as wide as the range or wider (a 10.0.0.0/8 LAN) is left out: the bridges' narrower
 * routes win over it.
 */
function onThisMachine(subnet: string, rangePrefix: number): boolean {
  const networks = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i?.family === 'IPv4' && i.cidr ? [i.cidr] : []));
  return overlapsNarrower(subnet, rangePrefix, networks);
}

/** Marks every subnet the engine's networks hold (ours and anyone else's) as taken. */
export async function markSubnetsInUse(docker: Docker, subnets: SubnetAllocator): Promise<void> {
  for (const network of await docker.listNetworks()) {
    for (const ipam of network.IPAM?.Config ?? []) if (ipam.Subnet) subnets.markUsed(ipam.Subnet);
  }
}

export async function removeSessionNetwork(docker: Docker, network: { id: string; subnet?: string }, subnets?: SubnetAllocator): Promise<void> {
  const handle = docker.getNetwork(network.id);
  await handle.disconnect({ Container: MIRROR_CONTAINER, Force: true }).catch(() => {});
  await handle.remove().catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 404) throw err;
  });
  if (network.subnet) subnets?.release(network.subnet);
}
