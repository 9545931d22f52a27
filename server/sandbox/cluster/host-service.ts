import type Docker from 'dockerode';
import type { Config } from '../../config/config.ts';
import { LABHOST_IMAGE } from '../images/catalog.ts';
import { CAPABILITIES_DROPPED, HOST_DISK_MOUNT, REGISTRY_NAMES_REFUSED } from '../host-spec.ts';
import { NODE_OUT_OF_SERVICE } from './node-engines.ts';

export interface ServicePlacement {
  serviceName: string;
  hostName: string;
  /** The session's overlay network. */
  network: string;
  labels: Record<string, string>;
}

const MIB = 1024 * 1024;

/**
 * A lab host as a Swarm service of one task: the same host as on one machine (host-spec.ts),
 * within what a service of Engine 20.10 can set. It cannot set seccomp, AppArmor or the cgroup
 * namespace per service: the nodes' engines run with an allow-all seccomp profile and a private
 * cgroup namespace for every container by default instead (docs/operators.md), so the host
 * manages its own cgroups (drydock-init remounts them writable) and no one else's.
 *
 * Reservations are what the scheduler places by: a node takes a host only while the host's
 * reservation fits beside the others', and a full cluster leaves the task pending, which the
 * sandbox turns into a "no room" answer. The restart condition is none: a host that dies is
 * reported to its session, never silently replaced by an empty one.
 */
export function hostServiceSpec(config: Config, placement: ServicePlacement): Docker.CreateServiceOptions {
  return {
    Name: placement.serviceName,
    Labels: placement.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: LABHOST_IMAGE,
        Hostname: placement.hostName,
        Labels: placement.labels,
        CapabilityAdd: ['ALL'],
        CapabilityDrop: CAPABILITIES_DROPPED,
        Mounts: [
          { Type: 'tmpfs', Source: '', Target: '/run', TmpfsOptions: { SizeBytes: 64 * MIB, Mode: 0o755 } },
          // The host's whole writable disk, as on one machine (drydock-init moves its root there).
          { Type: 'tmpfs', Source: '', Target: HOST_DISK_MOUNT, TmpfsOptions: { SizeBytes: config.hostDiskMib * MIB, Mode: 0o755 } },
        ],
        Hosts: REGISTRY_NAMES_REFUSED.map((name) => `0.0.0.0 ${name}`),
        DNSConfig: { Options: ['timeout:1', 'attempts:1'] },
        StopSignal: 'SIGRTMIN+3',
      },
      Resources: {
        Limits: { MemoryBytes: config.hostMemoryMib * MIB, NanoCPUs: Math.round(config.hostCpus * 1e9), Pids: config.hostPids },
        Reservations: { MemoryBytes: config.clusterHostReserveMib * MIB, NanoCPUs: Math.round(config.clusterHostReserveCpus * 1e9) },
      },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: [`node.labels.${NODE_OUT_OF_SERVICE} != no`] },
      Networks: [{ Target: placement.network, Aliases: [placement.hostName] }],
    },
    Mode: { Replicated: { Replicas: 1 } },
  };
}
