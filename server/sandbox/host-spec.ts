import type Docker from 'dockerode';
import type { Config } from '../config/config.ts';
import { LABHOST_IMAGE } from './images/catalog.ts';

export interface HostPlacement {
  containerName: string;
  hostName: string;
  network: string;
  labels: Record<string, string>;
}

/** Where drydock-init (images/labhost) expects the size-capped disk it moves the host's root onto. */
export const HOST_DISK_MOUNT = '/.drydock-disk';

/**
 * Docker Hub's token service: the stand-in (which registry-1.docker.io and the other Hub names
 * lead to once a host joins a session, see hub/host-hub.ts) asks for no token, so nothing should
 * reach it; this address refuses at once.
 */
export const REGISTRY_NAMES_REFUSED = ['auth.docker.io'];

/**
 * A lab host's CPU weight (cgroup cpu.shares; a process of the machine's and a default container
 * weigh 1024). Hosts share the CPU equally among themselves, but when the machine is saturated
 * (30 `yes` floods among 300 sessions) the platform's own processes come first: the lab server,
 * the engine and the hosts' shims, which carry every learner's terminal. At 1024 the server's
 * event loop lagged 47 ms at p99 in that load, at 128 15 ms (BENCHMARKS.md, "Load").
 */
const HOST_CPU_SHARES = 128;

/**
 * A nested engine needs most capabilities (namespaces, mounts, iptables, cgroups, device nodes).
 * These it does not need, and each reaches past the host: kernel modules, the machine's clock,
 * raw I/O, the kernel log, reboot, power and MAC policy. SYS_RESOURCE is not in this machine's
 * bounding set at all (which is also why --privileged fails here).
 * /proc/sys stays read-only as the runtime mounts it: the engine starts without writing there.
 */
export const CAPABILITIES_DROPPED = [
  'SYS_RESOURCE',
  'SYS_MODULE',
  'SYS_TIME',
  'SYS_RAWIO',
  'SYSLOG',
  'SYS_BOOT',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'AUDIT_CONTROL',
];

/**
 * How a lab host runs: a nested engine without --privileged (this kernel refuses it), in its own
 * cgroup namespace so it can manage only its own subtree, with memory, CPU, process and disk limits.
 * See docs/security.md for what each capability choice allows.
 */
export function hostCreateOptions(config: Config, placement: HostPlacement): Docker.ContainerCreateOptions {
  // The engine API has CgroupnsMode since 1.41; the typings lag behind.
  const hostConfig: Docker.HostConfig & { CgroupnsMode: 'private' } = {
    CapAdd: ['ALL'],
    CapDrop: CAPABILITIES_DROPPED,
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    CgroupnsMode: 'private',
    Tmpfs: {
      '/run': 'rw,nosuid,nodev,mode=755',
      // The host's whole writable disk: drydock-init moves its root and the engine's storage here.
      // exec, suid and dev because nested containers run programs from it.
      [HOST_DISK_MOUNT]: `rw,exec,suid,dev,size=${config.hostDiskMib}m,mode=755`,
    },
    Memory: config.hostMemoryMib * 1024 * 1024,
    MemorySwap: config.hostMemoryMib * 1024 * 1024,
    NanoCpus: Math.round(config.hostCpus * 1e9),
    CpuShares: HOST_CPU_SHARES,
    PidsLimit: config.hostPids,
    NetworkMode: placement.network,
    ExtraHosts: REGISTRY_NAMES_REFUSED.map((name) => `${name}:0.0.0.0`),
    // A name the session's DNS does not know goes nowhere (the network is internal): give up
    // after a second rather than glibc's ten (the IPv6 half of `getent hosts NAME`, a typo).
    DnsOptions: ['timeout:1', 'attempts:1'],
  };
  return {
    name: placement.containerName,
    Image: LABHOST_IMAGE,
    Hostname: placement.hostName,
    Labels: placement.labels,
    HostConfig: hostConfig,
    NetworkingConfig: { EndpointsConfig: { [placement.network]: { Aliases: [placement.hostName] } } },
  };
}
