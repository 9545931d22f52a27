import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DockerSandbox } from './docker-sandbox.ts';
import type { HostGroup, LabHost } from './sandbox.ts';
import { sh, startTestSandbox, testConfig } from '../test-support/sandbox.ts';

// The default: user-namespaced hosts on the engine Drydock owns (scripts/engine.sh starts it).
const config = testConfig();

describe('a user-namespaced lab host gets its own cgroups', () => {
  let sandbox: DockerSandbox;
  let group: HostGroup;
  let host: LabHost;

  before(async () => {
    sandbox = await startTestSandbox(config);
    group = await sandbox.createHostGroup({ hostNames: ['node1'] });
    host = group.host('node1');
  });

  after(async () => {
    await group?.dispose();
    await sandbox?.close();
  });

  test('its engine runs containers with limits', async () => {
    const out = await sh(host, 'docker run --rm --memory 64m --pids-limit 50 --cpus 0.5 hello-world && docker run --rm --memory 64m hello-world');
    assert.match(out, /Hello from Docker!/);
  });

  test("the host's own limits stay out of its reach", async () => {
    for (const file of ['memory/memory.limit_in_bytes', 'pids/pids.max', 'cpu/cpu.cfs_quota_us', 'memory/notify_on_release']) {
      const r = await host.exec(['sh', '-c', `cat /sys/fs/cgroup/${file} > /tmp/v && cat /tmp/v > /sys/fs/cgroup/${file}`]);
      assert.notEqual(r.exitCode, 0, `${file} was written from inside the host`);
      assert.match(r.stderr, /Permission denied/, file);
    }
  });
});
