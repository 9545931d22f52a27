import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/config.ts';
import { runVerify } from '../../cli/verify-command.ts';
import { createLogger } from '../../logging/logger.ts';
import { sh, testConfig } from '../../test-support/sandbox.ts';
import { CLUSTER_LABEL, startTestCluster, type TestCluster } from '../../test-support/test-cluster.ts';
import { testLab } from '../../test-support/test-lab.ts';
import { startTestServer, testOwner } from '../../test-support/test-server.ts';
import type { HostGroup, Sandbox } from '../sandbox.ts';
import type { ClusterHost } from './cluster-host.ts';
import { ClusterSandbox } from './cluster-sandbox.ts';
import { NODE_OUT_OF_SERVICE } from './node-engines.ts';
import { HOST_BRIDGE, INPUT_CHAIN } from './node-firewall.ts';
import { runOneShot } from '../one-shot.ts';
import { LABEL, ownerFilter } from '../labels.ts';

// One simulated cluster of three lab nodes for the whole file (starting one takes about a minute):
// the tests run in order, and the last one kills a node.
let cluster: TestCluster;
const LABS = fileURLToPath(new URL('../../../labs/', import.meta.url));
const log = createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'silent');
const run = promisify(execFile);

before(async () => {
  cluster = await startTestCluster({ nodes: 3 });
});
// The harness leaves nothing behind: no node container, network or route.
after(async () => {
  if (!cluster) return;
  await cluster.close();
  const machine = new Docker({ socketPath: '/var/run/docker.sock' });
  const label = `${CLUSTER_LABEL}=${cluster.runId}`;
  assert.deepEqual(await machine.listContainers({ all: true, filters: { label: [label] } }), []);
  assert.deepEqual(await machine.listNetworks({ filters: { label: [label] } }), []);
  for (const n of cluster.nodes)
    assert.equal((await run('ip', ['-4', 'route', 'show', n.hostSubnet])).stdout.trim(), '', `route to ${n.hostSubnet} left`);
});

function clusterSettings(): Partial<Config> {
  return { sandbox: 'cluster', isolation: 'privileged', clusterManager: cluster.managerHost, clusterTlsDir: cluster.tlsDir };
}

function nodeOf(group: HostGroup, name: string): string {
  return (group.host(name) as ClusterHost).node.name;
}

/**
 * Single-host sessions, three at once (the scheduler spreads them over the three nodes), then one
 * at a time, until `enough` holds of them or six were made.
 */
async function singleHostSessionsUntil(sandbox: Sandbox, enough: (groups: HostGroup[]) => boolean): Promise<HostGroup[]> {
  const groups = await Promise.all([1, 2, 3].map(() => sandbox.createHostGroup({ hostNames: ['lab'] })));
  while (groups.length < 6 && !enough(groups)) groups.push(await sandbox.createHostGroup({ hostNames: ['lab'] }));
  return groups;
}

/** Whether a host can open a TCP connection to each address:port (a dropped packet counts as no). */
async function reaches(group: HostGroup, host: string, targets: readonly string[]): Promise<boolean[]> {
  const script = targets.map((t, i) => `(timeout 3 bash -c 'echo > /dev/tcp/${t.replace(':', '/')}' 2>/dev/null && echo ${i}=yes || echo ${i}=no) &`);
  const out = await sh(group.host(host), [...script, 'wait'].join('\n'));
  return targets.map((_, i) => out.includes(`${i}=yes`));
}

test('drydock verify passes labs on the cluster, a multi-host one included, with the warm pool on', { timeout: 20 * 60_000 }, async () => {
  const names = ['DRYDOCK_SANDBOX', 'DRYDOCK_ISOLATION', 'DRYDOCK_CLUSTER_MANAGER', 'DRYDOCK_CLUSTER_TLS_DIR'] as const;
  const values = ['cluster', 'privileged', cluster.managerHost, cluster.tlsDir];
  names.forEach((name, i) => (process.env[name] = values[i]));
  try {
    const lines: string[] = [];
    const reports = await runVerify({
      labsDir: LABS,
      // A multi-host lab, and the webhook lab (hosts reach the server's receiver through their node).
      labIds: ['sample-registry', 'registry-basics', 'registry-pull-through-cache', 'registry-webhooks'],
      jobs: 2,
      print: (line) => (lines.push(line), console.log(line)),
    });
    assert.ok(reports, lines.join('\n'));
    assert.deepEqual(
      reports.filter((r) => !r.passed).map((r) => r.labId),
      [],
      lines.join('\n'),
    );
  } finally {
    for (const name of names) delete process.env[name];
  }
});

test('a session spreads over nodes: names, pulls through each node mirror, and registry traffic across nodes', { timeout: 5 * 60_000 }, async () => {
  const sandbox = await ClusterSandbox.start(testConfig(clusterSettings()), log);
  try {
    await using group = await sandbox.createHostGroup({ hostNames: ['manager', 'worker1', 'worker2'] });
    const nodes = new Set(['manager', 'worker1', 'worker2'].map((h) => nodeOf(group, h)));
    assert.ok(nodes.size >= 2, `all three hosts landed on ${[...nodes].join(', ')}`);
    const registryNode = nodeOf(group, 'manager');
    const other = ['worker1', 'worker2'].find((h) => nodeOf(group, h) !== registryNode)!;
    // Pulled through the manager host's own node's mirror (Docker Hub is out of reach here).
    await sh(group.host('manager'), 'docker run -d --name registry -p 5000:5000 registry:2 >/dev/null');
    await sh(group.host(other), 'for i in $(seq 50); do curl -sf http://manager:5000/v2/ >/dev/null && exit 0; sleep 0.2; done; exit 1');
    assert.match(await sh(group.host(other), 'getent hosts manager worker1 worker2'), /manager[\s\S]*worker1[\s\S]*worker2/);
    // The server's own path, as registry checks take it: the host's address on its node's bridge.
    const answer = await fetch(`http://${group.host('manager').address}:5000/v2/_catalog`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { repositories: [] });
  } finally {
    await sandbox.close();
  }
});

test("a pull the node's mirror cannot serve gets the Docker Hub stand-in's one line, through the server", { timeout: 3 * 60_000 }, async () => {
  const lab = testLab({ id: 'hub-lab' });
  const app = await startTestServer({ labs: [lab], config: { ...clusterSettings(), mirrorUpstream: '' } });
  try {
    const { session, token } = await app.sessions.start(lab.id, testOwner('learner'));
    const host = app.sessions.authorize(session.id, token).hosts.host('node1');
    const pull = await host.exec(['bash', '-c', 'docker pull alpine:3.19 2>&1']);
    assert.notEqual(pull.exitCode, 0);
    assert.match(pull.stdout, /this Drydock runs offline: alpine:3\.19 is not in its mirror; images here: .*hello-world/, pull.stdout);
  } finally {
    await app.close();
  }
});

test('a session on one node cannot reach a session on another, nor the nodes themselves', { timeout: 5 * 60_000 }, async () => {
  const sandbox = await ClusterSandbox.start(testConfig(clusterSettings()), log);
  try {
    const groups: HostGroup[] = [];
    groups.push(...(await singleHostSessionsUntil(sandbox, (gs) => new Set(gs.map((g) => nodeOf(g, 'lab'))).size >= 2)));
    const victim = groups[0]!;
    const learner = groups.find((g) => nodeOf(g, 'lab') !== nodeOf(victim, 'lab'))!;
    assert.ok(learner, 'no two sessions on different nodes');
    const victimHost = victim.host('lab') as ClusterHost;
    const nodeAddresses = cluster.nodes.map((n) => `${n.address}:2376`);
    const [ownMirror, ...others] = await reaches(learner, 'lab', [
      'drydock-mirror:5000',
      `${victimHost.overlayAddress}:2375`,
      `${victimHost.address}:2375`,
      ...nodeAddresses,
      `${cluster.nodes[0]!.address}:2377`,
    ]);
    assert.equal(ownMirror, true, 'the host cannot reach its own node mirror (the probe itself is broken)');
    assert.deepEqual(others, [false, false, ...nodeAddresses.map(() => false), false], 'a learner reached another session or a node');
    // Control: without the node's rule for its hosts, the same probe reaches the node's engine.
    const learnerNode = (learner.host('lab') as ClusterHost).node;
    const jump = `INPUT -i ${HOST_BRIDGE} -j ${INPUT_CHAIN}`;
    const nodeEngine = cluster.engine(cluster.nodes.find((n) => n.name === learnerNode.name)!);
    const asRoot = { NetworkMode: 'host', CapAdd: ['NET_ADMIN', 'NET_RAW'] };
    assert.equal((await runOneShot(nodeEngine, [`iptables -w -D ${jump}`], asRoot)).exitCode, 0);
    try {
      assert.deepEqual(await reaches(learner, 'lab', [`${learnerNode.address}:2376`]), [true], 'the probe cannot tell an open port');
    } finally {
      assert.equal((await runOneShot(nodeEngine, [`iptables -w -I ${jump}`], asRoot)).exitCode, 0);
    }
    // The mirror is read-only to learners.
    const push = await learner
      .host('lab')
      .exec(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', 'http://drydock-mirror:5000/v2/library/x/blobs/uploads/']);
    assert.equal(push.stdout, '405');
    // The server still reaches both hosts.
    for (const g of [victim, learner]) assert.equal((await fetch(`http://${g.host('lab').address}:2375/_ping`)).status, 200);
    await Promise.all(groups.map((g) => g.dispose()));
  } finally {
    await sandbox.close();
  }
});

test("nodes' engines answer only the server's client certificate, and no node relays its engine without one", async () => {
  const probes = await Promise.all(cluster.nodes.map((n) => portAnswers(n.address, 2375)));
  assert.deepEqual(
    probes,
    cluster.nodes.map(() => false),
    'a node answers on 2375',
  );
  const ca = await readFile(join(cluster.tlsDir, 'ca.pem'));
  await assert.rejects(new Docker({ protocol: 'https', host: cluster.nodes[0]!.address, port: 2376, ca }).ping());
  await cluster.engine(cluster.nodes[0]!).ping();
});

test('a node taken out of service (paused, or labelled) gets no new hosts and keeps its running ones', { timeout: 5 * 60_000 }, async () => {
  const sandbox = await ClusterSandbox.start(testConfig(clusterSettings()), log);
  const manager = cluster.engine(cluster.nodes[0]!);
  const update = async (name: string, change: (spec: NodeSpec) => NodeSpec) => {
    const node = ((await manager.listNodes()) as SwarmNode[]).find((n) => n.Description.Hostname === name)!;
    await manager.getNode(node.ID).update({ version: node.Version.Index, ...change(node.Spec) });
  };
  const groups: HostGroup[] = [];
  try {
    groups.push(...(await singleHostSessionsUntil(sandbox, (gs) => gs.some((g) => nodeOf(g, 'lab') === 'node2'))));
    const onNode2 = groups.find((g) => nodeOf(g, 'lab') === 'node2');
    assert.ok(onNode2, 'no host landed on node2');
    await update('node2', (spec) => ({ ...spec, Availability: 'pause' }));
    await update('node3', (spec) => ({ ...spec, Labels: { ...spec.Labels, [NODE_OUT_OF_SERVICE]: 'no' } }));
    const fresh = await Promise.all([1, 2, 3].map(() => sandbox.createHostGroup({ hostNames: ['lab'] })));
    groups.push(...fresh);
    assert.deepEqual(
      fresh.map((g) => nodeOf(g, 'lab')),
      ['node1', 'node1', 'node1'],
    );
    assert.equal((await sh(onNode2.host('lab'), 'docker info --format "{{.ServerVersion}}"')).trim().length > 0, true);
    assert.equal(onNode2.stopped.size, 0);
  } finally {
    await update('node2', (spec) => ({ ...spec, Availability: 'active' }));
    await update('node3', (spec) => {
      const { [NODE_OUT_OF_SERVICE]: _, ...labels } = spec.Labels ?? {};
      return { ...spec, Labels: labels };
    });
    await Promise.all(groups.map((g) => g.dispose()));
    await sandbox.close();
  }
});

test('a full cluster answers "no room" instead of waiting', { timeout: 2 * 60_000 }, async () => {
  const sandbox = await ClusterSandbox.start(testConfig({ ...clusterSettings(), clusterHostReserveMib: 64 * 1024 }), log);
  try {
    await assert.rejects(sandbox.createHostGroup({ hostNames: ['lab'] }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DD_SANDBOX_CAPACITY');
      assert.match(err.message, /no room for another lab host/);
      return true;
    });
  } finally {
    await sandbox.close();
  }
});

test('a restart keeps recorded sessions on the cluster, sweeps the rest, and a shutdown leaves nothing', { timeout: 5 * 60_000 }, async () => {
  const config = testConfig(clusterSettings());
  const manager = cluster.engine(cluster.nodes[0]!);
  const owned = async () => ({
    services: (await manager.listServices({ filters: ownerFilter(config.owner) })).length,
    networks: (await manager.listNetworks({ filters: ownerFilter(config.owner) })).length,
  });
  const first = await ClusterSandbox.start(config, log);
  const kept = await first.createHostGroup({ hostNames: ['lab'] });
  await sh(kept.host('lab'), 'echo still-here > /root/mark');
  const dropped = await first.createHostGroup({ hostNames: ['lab'] });
  await first.close({ keepHosts: true });
  const record = { hostGroupId: kept.id, hostNames: ['lab'] };
  const second = await ClusterSandbox.start(config, log, [record]);
  try {
    const adopted = await second.adoptHostGroup(record);
    assert.ok(adopted, 'the recorded session was not adopted');
    assert.equal((await sh(adopted.host('lab'), 'cat /root/mark')).trim(), 'still-here');
    const left = await manager.listServices({ filters: { label: [`${LABEL.session}=${dropped.id}`] } });
    assert.equal(left.length, 0, 'the unrecorded session was not swept');
  } finally {
    await second.close();
  }
  // A node lists an overlay network a little longer than the manager keeps it.
  let left = await owned();
  for (let i = 0; i < 50 && left.services + left.networks > 0; i++) {
    await sleep(200);
    left = await owned();
  }
  assert.deepEqual(left, { services: 0, networks: 0 });
});

test('a node that dies is reported to its sessions, and a reset lands on the nodes that remain', { timeout: 5 * 60_000 }, async () => {
  const sandbox = await ClusterSandbox.start(testConfig(clusterSettings()), log);
  try {
    const groups: HostGroup[] = [];
    groups.push(...(await singleHostSessionsUntil(sandbox, (gs) => gs.some((g) => nodeOf(g, 'lab') === 'node3'))));
    const doomed = groups.find((g) => nodeOf(g, 'lab') === 'node3');
    assert.ok(doomed, 'no host landed on node3');
    const told = new Promise<string>((resolve) => doomed.onHostStopped((_host, why) => resolve(why)));
    await cluster.nodes[2]!.kill();
    const why = await told;
    assert.match(why, /node3/);
    assert.match(why, new RegExp(cluster.nodes[2]!.address.replace(/\./g, '\\.')));
    for (const g of groups.filter((g) => g !== doomed)) assert.equal(g.stopped.size, 0, `a host on ${nodeOf(g, 'lab')} was reported lost`);
    await doomed.dispose();
    await using reset = await sandbox.createHostGroup({ hostNames: ['lab'] });
    assert.notEqual(nodeOf(reset, 'lab'), 'node3');
    await Promise.all(groups.map((g) => g.dispose()));
  } finally {
    await sandbox.close();
  }
});

interface NodeSpec {
  Availability?: string;
  Labels?: Record<string, string>;
  Role?: string;
}
interface SwarmNode {
  ID: string;
  Version: { Index: number };
  Description: { Hostname: string };
  Spec: NodeSpec;
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    const answer = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.on('connect', () => answer(true));
    socket.on('error', () => answer(false));
    socket.on('timeout', () => answer(false));
  });
}
