import type Docker from 'dockerode';
import { ownerFilter } from './labels.ts';
import { removeSessionNetwork } from './session-network.ts';

export interface SweepReport {
  containers: number;
  networks: number;
  volumes: number;
}

/**
 * Removes what an earlier run of this owner left behind: hosts, their volumes, session and pool
 * networks. The mirror and its data are the platform's and stay.
 */
export async function sweepOwner(docker: Docker, owner: string): Promise<SweepReport> {
  const containers = await docker.listContainers({ all: true, filters: ownerFilter(owner, 'host') });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})));
  const networks = [
    ...(await docker.listNetworks({ filters: ownerFilter(owner, 'session-network') })),
    ...(await docker.listNetworks({ filters: ownerFilter(owner, 'pool-network') })),
  ];
  await Promise.all(networks.map((n) => removeSessionNetwork(docker, { id: n.Id })));
  const { Volumes } = await docker.listVolumes({ filters: ownerFilter(owner, 'host') });
  await Promise.all((Volumes ?? []).map((v) => docker.getVolume(v.Name).remove().catch(() => {})));
  return { containers: containers.length, networks: networks.length, volumes: (Volumes ?? []).length };
}
