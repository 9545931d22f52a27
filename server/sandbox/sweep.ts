import type Docker from 'dockerode';
import { ownerFilter } from './labels.ts';
import type { HostGroupRecord } from './sandbox.ts';
import { removeSessionNetwork } from './session-network.ts';

export interface SweepReport {
  containers: number;
  networks: number;
}

/**
 * Removes what an earlier run of this owner left behind: hosts (their disks are tmpfs and go with
 * them), session and pool networks, warm-pool hosts included. `keep` names the containers and
 * networks of sessions still running, which the new server adopts. The mirror and its data are
 * the platform's and stay.
 */
export async function sweepOwner(docker: Docker, owner: string, keep: ReadonlySet<string> = new Set()): Promise<SweepReport> {
  const kept = (names: readonly string[]) => names.some((n) => keep.has(n.replace(/^\//, '')));
  const containers = (await docker.listContainers({ all: true, filters: ownerFilter(owner, 'host') })).filter((c) => !kept(c.Names));
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
  const networks = [
    ...(await docker.listNetworks({ filters: ownerFilter(owner, 'session-network') })),
    ...(await docker.listNetworks({ filters: ownerFilter(owner, 'pool-network') })),
  ].filter((n) => !kept([n.Name]));
  await Promise.all(networks.map((n) => removeSessionNetwork(docker, { id: n.Id })));
  return { containers: containers.length, networks: networks.length };
}

/** A host group's network name; its hosts' containers (or services) are this name, a dash and the host's name. */
export function groupResourceName(owner: string, hostGroupId: string): string {
  return `drydock-${owner}-${hostGroupId}`;
}

/** The container (or service) and network names of recorded host groups: what the start-up sweep leaves for adoption. */
export function groupResourceNames(owner: string, groups: readonly HostGroupRecord[]): Set<string> {
  return new Set(
    groups.flatMap((g) => {
      const network = groupResourceName(owner, g.hostGroupId);
      return [network, ...g.hostNames.map((name) => `${network}-${name}`)];
    }),
  );
}
