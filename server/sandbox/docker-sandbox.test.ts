import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDocker } from './docker-client.ts';
import { labelsFor } from './labels.ts';
import type { DockerSandbox } from './docker-sandbox.ts';
import { ENGINE_API_PORT, HOOKS_HOST_NAME } from '../../shared/platform.ts';
import type { HostGroup } from './sandbox.ts';
import { ownedResources, sh, startTestSandbox, testConfig } from '../test-support/sandbox.ts';

// Integration tests: a real engine, real lab hosts, the real registry image and mirror.
describe('a two-host session on the real engine', { timeout: 240_000 }, () => {
  const config = testConfig({ hostMemoryMib: 768, hostDiskMib: 512, hostPids: 1500 });
  let sandbox: DockerSandbox;
  let session: HostGroup;

  before(async () => {
    sandbox = await startTestSandbox(config);
    session = await sandbox.createHostGroup({ hostNames: ['node1', 'node2'] });
  });

  after(async () => {
    await sandbox?.close();
  });

  test('hosts carry their lab names and resolve each other', async () => {
    assert.deepEqual(
      session.hosts.map((h) => h.name),
      ['node1', 'node2'],
    );
    assert.equal((await sh(session.host('node1'), 'hostname')).trim(), 'node1');
    const seen = await sh(session.host('node2'), 'getent hosts node1 && ping -c1 -W2 node1 >/dev/null && echo reachable');
    assert.match(seen, /^\d+\.\d+\.\d+\.\d+\s+node1\n/);
    assert.match(seen, /reachable/);
    assert.equal(session.host('node1').address, seen.split(/\s/)[0], 'the platform knows the address the hosts use');
    const version = await fetch(`http://${session.host('node1').address}:${ENGINE_API_PORT}/version`).then(
      (r) => r.json() as Promise<{ Version: string }>,
    );
    assert.match(version.Version, /^20\./, "the platform reaches the host's engine API");
    assert.throws(() => session.host('node3'), /no host named "node3" \(it has node1, node2\)/);
  });

  test('the registry lesson works inside node1, offline, through the mirror', async () => {
    const node1 = session.host('node1');
    await sh(node1, 'docker pull hello-world && docker run --rm hello-world | grep -q "Hello from Docker!"');
    await sh(node1, 'docker run -d -p 5000:5000 --name registry registry');
    await sh(node1, 'for i in $(seq 50); do curl -sf localhost:5000/v2/ >/dev/null && exit 0; sleep 0.1; done; exit 1');
    await sh(node1, 'docker tag hello-world 127.0.0.1:5000/hello-world && docker push 127.0.0.1:5000/hello-world');
    await sh(node1, 'docker image rm hello-world 127.0.0.1:5000/hello-world');
    const images = await sh(node1, 'docker images --format "{{.Repository}}"');
    assert.doesNotMatch(images, /hello-world/, 'both local copies are gone before the pull');
    await sh(node1, 'docker pull 127.0.0.1:5000/hello-world');
    const catalog = JSON.parse(await sh(node1, 'curl -s localhost:5000/v2/_catalog'));
    assert.deepEqual(catalog, { repositories: ['hello-world'] });
    const tags = JSON.parse(await sh(node1, 'curl -s localhost:5000/v2/hello-world/tags/list'));
    assert.deepEqual(tags, { name: 'hello-world', tags: ['latest'] });
  });

  test('the lesson registry image behaves like the official 2.x image', async () => {
    const node1 = session.host('node1');
    const inspect = JSON.parse(await sh(node1, 'docker pull -q registry:2 >/dev/null && docker image inspect registry:2'))[0].Config;
    assert.deepEqual(inspect.Entrypoint, ['/entrypoint.sh']);
    assert.deepEqual(inspect.Cmd, ['/etc/docker/registry/config.yml']);
    assert.deepEqual(Object.keys(inspect.Volumes), ['/var/lib/registry']);
    assert.deepEqual(Object.keys(inspect.ExposedPorts), ['5000/tcp']);
    // REGISTRY_* overrides reach the config: another port.
    await sh(node1, 'docker run -d --name reg5001 -e REGISTRY_HTTP_ADDR=0.0.0.0:5001 -p 5001:5001 registry:2');
    await sh(node1, 'for i in $(seq 50); do curl -sf localhost:5001/v2/ >/dev/null && exit 0; sleep 0.1; done; exit 1');
    // garbage-collect is passed to the registry binary by the entrypoint; it reads the storage
    // of the registry from the previous test, which holds hello-world.
    const gc = await sh(node1, 'docker run --rm --volumes-from registry registry:2 garbage-collect --dry-run /etc/docker/registry/config.yml 2>&1');
    assert.match(gc, /^hello-world$/m);
    assert.match(gc, /blobs marked/);
    await sh(node1, 'docker rm -f reg5001');
  });

  test('the two hosts form a swarm', async () => {
    const node1 = session.host('node1');
    const address = (await sh(node1, 'getent hosts node1 | cut -d" " -f1')).trim();
    await sh(node1, `docker swarm init --advertise-addr ${address}`);
    const token = (await sh(node1, 'docker swarm join-token -q worker')).trim();
    await sh(session.host('node2'), `docker swarm join --token ${token} ${address}:2377`);
    const nodes = await sh(node1, 'docker node ls --format "{{.Hostname}} {{.Status}} {{.ManagerStatus}}"');
    assert.deepEqual(
      nodes
        .trim()
        .split('\n')
        .map((l) => l.trim())
        .sort(),
      ['node1 Ready Leader', 'node2 Ready'],
    );
  });

  test('a killed engine comes back and the host survives', async () => {
    const node2 = session.host('node2');
    const before = (await sh(node2, 'cat /run/drydock/docker.pid')).trim();
    await sh(node2, 'pkill -9 -x dockerd');
    await sh(node2, 'drydock-wait-engine 20');
    const after = (await sh(node2, 'cat /run/drydock/docker.pid')).trim();
    assert.notEqual(after, before, 'a new dockerd process answers');
    await sh(node2, 'kill -9 1; sleep 0.2; docker version >/dev/null');
    // A restarted worker rejoins its swarm by itself.
    await sh(node2, 'systemctl restart docker');
    await sh(node2, 'for i in $(seq 100); do [ "$(docker info -f {{.Swarm.LocalNodeState}})" = active ] && exit 0; sleep 0.2; done; exit 1');
  });

  test('root in a host cannot load kernel modules, set the clock or change kernel settings', async () => {
    const node1 = session.host('node1');
    const bounding = (await sh(node1, "awk '/^CapBnd/ {print $2}' /proc/self/status")).trim();
    const has = (bit: number) => (BigInt(`0x${bounding}`) >> BigInt(bit)) & 1n;
    assert.equal(has(16), 0n, 'CAP_SYS_MODULE is gone');
    assert.equal(has(25), 0n, 'CAP_SYS_TIME is gone');
    assert.equal(has(21), 1n, 'CAP_SYS_ADMIN stays: the nested engine needs it');
    assert.notEqual((await node1.exec(['date', '-s', '2001-01-01'])).exitCode, 0);
    const corePattern = await node1.exec(['sh', '-c', 'echo "|/tmp/x" > /proc/sys/kernel/core_pattern']);
    assert.notEqual(corePattern.exitCode, 0, '/proc/sys is read-only');
  });

  test('limits from the config are in force inside the host', async () => {
    const limits = await sh(session.host('node1'), 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max');
    assert.deepEqual(limits.trim().split('\n'), [String(768 * 1024 * 1024), '1500']);
    // One disk of the configured size holds the host's files and its engine's storage, and the
    // engine runs overlay2 on it (on a stacked overlay it would fall back to the slow, bulky vfs).
    const disk = await sh(
      session.host('node1'),
      "df -m --output=size / /var/lib/docker | tail -2; stat -f -c %T /var/lib/docker; docker info --format '{{.Driver}}'",
    );
    assert.deepEqual(
      disk
        .trim()
        .split('\n')
        .map((l) => l.trim()),
      ['512', '512', 'tmpfs', 'overlay2'],
    );
  });

  test("a host cannot reach another session's hosts", async () => {
    const other = await sandbox.createHostGroup({ hostNames: ['node1'] });
    try {
      const address = (await sh(session.host('node1'), 'getent hosts node1 | cut -d" " -f1')).trim();
      const probe = await other.host('node1').exec(['bash', '-c', `curl -s --max-time 3 http://${address}:5000/v2/`]);
      assert.notEqual(probe.exitCode, 0, `another session reached ${address}:5000: ${probe.stdout}`);
      // ...while its own session's registry answers at the same port.
      await sh(session.host('node2'), `curl -sf --max-time 3 http://${address}:5000/v2/`);
    } finally {
      await other.dispose();
    }
  });

  test('a host cannot reach the machine it runs on, while the platform reaches the host', async () => {
    // A service on every address of this machine, as the Drydock server's would be.
    const server = createServer((_req, res) => res.end('machine')).listen(0, '0.0.0.0');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const node1 = session.host('node1');
      const gateway = (await sh(node1, "ip -4 route show default | awk '{print $3}'")).trim();
      assert.match(gateway, /^\d+\.\d+\.\d+\.\d+$/);
      const probe = await node1.exec(['curl', '-s', '--max-time', '3', `http://${gateway}:${port}/`]);
      assert.equal(probe.exitCode, 7, `node1 reached the machine at ${gateway}:${port}: ${probe.stdout}`);
      const version = await fetch(`http://${node1.address}:${ENGINE_API_PORT}/_ping`).then((r) => r.text());
      assert.equal(version, 'OK');
    } finally {
      server.close();
    }
  });

  test("hosts reach the platform's webhook port, and only that one, as drydock-hooks", async () => {
    const receiver = createServer((_req, res) => res.end('hooks')).listen(config.hooksPort, '0.0.0.0');
    await once(receiver, 'listening');
    try {
      const node2 = session.host('node2');
      assert.equal((await sh(node2, 'getent hosts drydock-hooks | cut -d" " -f1')).trim(), session.gateway);
      assert.equal(await sh(node2, `curl -s --max-time 3 http://drydock-hooks:${config.hooksPort}/`), 'hooks');
      // Lessons name the receiver by the URL login shells get, whatever port the platform uses.
      const url = await sh(node2, 'bash -lc \'echo "$DRYDOCK_HOOKS_URL"\'');
      assert.equal(url.trim(), `http://drydock-hooks:${config.hooksPort}/events`);
    } finally {
      receiver.close();
    }
  });

  test('tear-down leaves nothing with the platform labels', async () => {
    const before = await ownedResources(config);
    for (const kind of ['container', 'network']) {
      assert.ok(
        before.some((r) => r.startsWith(kind)),
        `the session's ${kind}s carry the labels: ${before.join(', ')}`,
      );
    }
    const docker = connectDocker(config.dockerHost);
    for (const host of session.hosts) {
      const { Mounts } = await docker.getContainer(host.containerId).inspect();
      assert.deepEqual(
        Mounts.filter((m) => m.Type === 'volume'),
        [],
        `${host.name} keeps nothing on the machine's disk`,
      );
    }
    await session.dispose();
    await session.dispose();
    await sandbox.close();
    assert.deepEqual(await ownedResources(config), []);
  });
});

describe('the warm pool', { timeout: 240_000 }, () => {
  const config = testConfig({ poolSize: 2 });
  let sandbox: DockerSandbox;
  before(async () => {
    sandbox = await startTestSandbox(config);
    await sandbox.poolFilled();
  });
  after(async () => sandbox?.close());

  test('hands each pooled host out once, clean, under its lab name', async () => {
    const a = await sandbox.createHostGroup({ hostNames: ['node1'] });
    const b = await sandbox.createHostGroup({ hostNames: ['node1'] });
    assert.equal(a.timings.pooled, 1);
    assert.equal(b.timings.pooled, 1);
    assert.notEqual(a.hosts[0]!.containerId, b.hosts[0]!.containerId);
    await sh(a.host('node1'), 'docker pull -q hello-world && docker run -d --name leftover registry');
    const clean = await sh(b.host('node1'), 'hostname; docker ps -aq | wc -l; docker images -q | wc -l');
    assert.deepEqual(clean.trim().split('\n'), ['node1', '0', '0']);
    await a.dispose();
    await b.dispose();
    await sandbox.poolFilled();
    const c = await sandbox.createHostGroup({ hostNames: ['manager', 'worker1'] });
    assert.equal(c.timings.pooled, 2);
    for (const id of [a, b].map((s) => s.hosts[0]!.containerId)) {
      assert.ok(!c.hosts.some((h) => h.containerId === id), 'a disposed host is never handed out again');
    }
    assert.match(await sh(c.host('worker1'), 'hostname; getent hosts manager'), /^worker1\n\S+\s+manager/);
    await c.dispose();
  });

  test('in a pooled multi-host session every host answers each name at once, by file and by DNS', async () => {
    await sandbox.poolFilled();
    const session = await sandbox.createHostGroup({ hostNames: ['manager', 'worker1', 'worker2'] });
    try {
      assert.ok(session.timings.pooled >= 2, `pooled ${session.timings.pooled}`);
      // The pool's refill (three host starts) would otherwise compete for both cores while the
      // lookups are timed; what is measured is the resolver, which a timeout costs a second.
      await sandbox.poolFilled();
      const names = ['manager', 'worker1', 'worker2', HOOKS_HOST_NAME, 'drydock-mirror'];
      // Timed inside the host, so the exec round trip is not counted: getent asks for AAAA first,
      // which is where a resolver that does not answer costs a timeout (a second). The best of
      // three, so a busy machine's scheduling is not counted either.
      const script = `TIMEFORMAT=%R; for n in "$@"; do
        for t in A AAAA; do st=$(dig +time=1 +tries=1 "$t" "$n" | grep -oE 'status: [A-Z]+|timed out' | head -1); echo "$n $t $st"; done
        a=$(getent hosts "$n" | awk '{print $1}')
        best=$(for i in 1 2 3; do { time getent hosts "$n" >/dev/null; } 2>&1; done | sort -n | head -1)
        echo "$n getent $a $(awk -v s="$best" 'BEGIN { printf "%d", s * 1000 }')"
      done`;
      for (const host of session.hosts) {
        const lines = (await host.exec(['bash', '-c', script, 'probe', ...names])).stdout.trim().split('\n');
        for (const name of names) {
          for (const type of ['A', 'AAAA'])
            assert.ok(lines.includes(`${name} ${type} status: NOERROR`), `${host.name}: DNS ${type} ${name}: ${lines.join(' | ')}`);
          const [, , address, ms] = lines.find((l) => l.startsWith(`${name} getent `))!.split(' ');
          assert.ok(address, `${host.name} resolves ${name}`);
          assert.ok(Number(ms) <= 50, `${host.name}: getent hosts ${name} took ${ms} ms`);
        }
      }
    } finally {
      await session.dispose();
    }
  });

  test('close removes the pooled hosts too', async () => {
    await sandbox.close();
    assert.deepEqual(await ownedResources(config), []);
  });
});

describe('two servers on one engine', { timeout: 240_000 }, () => {
  test('each learns the subnets the other took after it started, and starts sessions all the same', async () => {
    const first = await startTestSandbox(testConfig());
    const second = await startTestSandbox(testConfig());
    try {
      // Both start from the same picture of the engine; the first then takes six subnets the second does not know of.
      for (let i = 0; i < 6; i++) await first.createHostGroup({ hostNames: ['node1'] });
      const session = await second.createHostGroup({ hostNames: ['node1'] });
      assert.equal((await sh(session.host('node1'), 'echo ok')).trim(), 'ok');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('the start-up sweep', { timeout: 120_000 }, () => {
  test('removes what an earlier run of the same owner left behind, and nothing of others', async () => {
    const config = testConfig();
    const docker = connectDocker(config.dockerHost);
    const leftover = await docker.createContainer({
      Image: 'registry:2',
      Labels: labelsFor(config.owner, 'host'),
    });
    const foreign = await docker.createContainer({ Image: 'registry:2', Labels: labelsFor(`${config.owner}x`, 'host') });
    try {
      assert.equal((await ownedResources(config)).length, 1);
      const sandbox = await startTestSandbox(config);
      await sandbox.close();
      assert.deepEqual(await ownedResources(config), []);
      await sleep(10);
      assert.ok(await foreign.inspect(), "another owner's container is left alone");
    } finally {
      await foreign.remove({ force: true });
      await leftover.remove({ force: true }).catch(() => {});
    }
  });
});
