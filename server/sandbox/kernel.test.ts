import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectKernelFeatures } from './kernel.ts';

function probe(files: Record<string, string>) {
  return {
    read: async (path: string) => files[path],
    exists: async (path: string) => Object.keys(files).some((f) => f === path || f.startsWith(path + '/')),
  };
}

test('a kernel without IPVS built in, loadable or loaded has no routing mesh', async () => {
  const features = await detectKernelFeatures(probe({ '/proc/sys/kernel/osrelease': '6.18.44-fc\n' }));
  assert.deepEqual(features, { release: '6.18.44-fc', ipvs: false, cgroupVersion: 1 });
});

test('IPVS counts when loaded, built in or shipped as a module', async () => {
  const release = { '/proc/sys/kernel/osrelease': '6.1.0' };
  const cases: Record<string, string>[] = [
    { '/proc/sys/net/ipv4/vs/conntrack': '0' },
    { '/lib/modules/6.1.0/modules.builtin': 'kernel/net/netfilter/ipvs/ip_vs.ko\n' },
    { '/lib/modules/6.1.0/modules.dep': 'kernel/net/netfilter/ipvs/ip_vs.ko: kernel/net/netfilter/nf_conntrack.ko\n' },
  ];
  for (const files of cases) {
    assert.equal((await detectKernelFeatures(probe({ ...release, ...files }))).ipvs, true, JSON.stringify(files));
  }
});

test('cgroup v2 is recognised by its root controllers file', async () => {
  const features = await detectKernelFeatures(probe({ '/sys/fs/cgroup/cgroup.controllers': 'cpu memory' }));
  assert.equal(features.cgroupVersion, 2);
});
