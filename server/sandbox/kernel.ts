import { access, readFile } from 'node:fs/promises';

/** What the machine's kernel offers that lessons depend on. */
export interface KernelFeatures {
  release: string;
  /** IPVS backs the swarm routing mesh; without it `--publish 5000:5000` accepts but never forwards. */
  ipvs: boolean;
  cgroupVersion: 1 | 2;
}

type Probe = { read(path: string): Promise<string | undefined>; exists(path: string): Promise<boolean> };

const fsProbe: Probe = {
  read: (path) => readFile(path, 'utf8').catch(() => undefined),
  exists: (path) =>
    access(path).then(
      () => true,
      () => false,
    ),
};

/**
 * Reads the kernel's features from /proc and /sys. IPVS counts as present when it is loaded
 * (its /proc entries exist) or can be loaded (built in, or a module the kernel ships).
 */
export async function detectKernelFeatures(probe: Probe = fsProbe): Promise<KernelFeatures> {
  const release = (await probe.read('/proc/sys/kernel/osrelease'))?.trim() ?? 'unknown';
  const loaded = (await probe.exists('/proc/sys/net/ipv4/vs')) || (await probe.exists('/proc/net/ip_vs'));
  const modules = `/lib/modules/${release}`;
  const builtIn = /\/ip_vs\.ko/.test((await probe.read(`${modules}/modules.builtin`)) ?? '');
  const loadable = /\/ip_vs\.ko/.test((await probe.read(`${modules}/modules.dep`)) ?? '');
  const cgroupVersion = (await probe.exists('/sys/fs/cgroup/cgroup.controllers')) ? 2 : 1;
  return { release, ipvs: loaded || builtIn || loadable, cgroupVersion };
}
