import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { LABEL, ownerFilter } from '../labels.ts';
import type { SweepReport } from '../sweep.ts';
import { removeService } from './cluster-host.ts';

/**
 * Removes what an earlier run of this owner left on the cluster: host services (with their tasks
 * and disks, on whichever node they ran) and session networks, except those named in `keep`;
 * with `session`, only that session's.
 */
export async function sweepCluster(manager: Docker, owner: string, keep: ReadonlySet<string> = new Set(), session?: string): Promise<SweepReport> {
  const filter = (role: 'host' | 'session-network') => {
    const { label } = ownerFilter(owner, role);
    return { label: session ? [...label, `${LABEL.session}=${session}`] : label };
  };
  const services = ((await manager.listServices({ filters: filter('host') })) as { ID: string; Spec?: { Name?: string } }[]).filter(
    (s) => !keep.has(s.Spec?.Name ?? ''),
  );
  await Promise.all(services.map((s) => removeService(manager, s.ID).catch(() => {})));
  const networks = (await manager.listNetworks({ filters: filter('session-network') })).filter((n) => !keep.has(n.Name));
  await Promise.all(networks.map((n) => removeOverlay(manager, n.Id)));
  return { containers: services.length, networks: networks.length };
}

/**
 * Removes an overlay network once its tasks are gone: a service's removal returns before its
 * task has left the network, which until then refuses to go ("has active endpoints", "is in use
 * by task").
 */
export async function removeOverlay(manager: Docker, networkId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await manager.getNetwork(networkId).remove();
      return;
    } catch (err) {
      const { statusCode, message } = err as { statusCode?: number; message?: string };
      if (statusCode === 404) return;
      if (attempt >= 100 || !/active endpoints|in use by task/.test(message ?? '')) throw err;
      await sleep(200);
    }
  }
}
