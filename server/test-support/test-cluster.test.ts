import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { LABHOST_IMAGE } from '../sandbox/images/catalog.ts';
import { CLUSTER_LABEL, overlaps, startTestCluster, type TestCluster } from './test-cluster.ts';

const run = promisify(execFile);
const SERVICE = 'labhost-probe';
const OVERLAY = 'probe-net';

// One 3-node cluster for the file: a lab host runs as a swarm task on node2, its engine works
// (nested containers included), and this machine reaches it through node2's routed docker_gwbridge.
describe('a test cluster of lab nodes', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let startMs = 0;
  let closed = false;
  let hostContainer = '';
  let hostAddress = '';

  before(async () => {
    const started = Date.now();
    cluster = await startTestCluster({ nodes: 3 });
    startMs = Date.now() - started;
  });

  after(async () => {
    if (!closed) await cluster?.close();
  });

  const node = (name: string) => cluster.nodes.find((n) => n.name === name)!;
  const manager = () => cluster.engine(node('node1'));

  test('the swarm has three ready nodes', async (t) => {
    t.diagnostic(`startTestCluster took ${(startMs / 1000).toFixed(1)} s`);
    const nodes = (await manager().listNodes()) as { Description: { Hostname: string }; Status: { State: string } }[];
    assert.deepEqual(nodes.map((n) => `${n.Description.Hostname}=${n.Status.State}`).sort(), ['node1=ready', 'node2=ready', 'node3=ready']);
    assert.match(cluster.managerHost, /^tcp:\/\/[\d.]+:2376$/);
  });

  test('a lab host runs as a service task on node2, with a working engine', async () => {
    await manager().createNetwork({ Name: OVERLAY, Driver: 'overlay', Attachable: true });
    await manager().createService({
      Name: SERVICE,
      TaskTemplate: {
        ContainerSpec: {
          Image: LABHOST_IMAGE,
          // Engine API 1.41 names; the node's engine runs the task with its allow-all seccomp profile.
          CapabilityAdd: ['ALL'],
          CapabilityDrop: ['SYS_RESOURCE'],
          Mounts: [
            { Type: 'tmpfs', Target: '/run' },
            { Type: 'tmpfs', Target: '/.drydock-disk', TmpfsOptions: { SizeBytes: 1024 ** 3 } },
            { Type: 'bind', Source: '/sys/fs/cgroup', Target: '/sys/fs/cgroup' },
          ],
        },
        Placement: { Constraints: ['node.hostname==node2'] },
        RestartPolicy: { Condition: 'none' },
        // An overlay network gives the task its docker_gwbridge endpoint, the address this machine routes to.
        Networks: [{ Target: OVERLAY }],
      },
      Mode: { Replicated: { Replicas: 1 } },
    } as Docker.CreateServiceOptions);
    hostContainer = await runningTask(manager(), SERVICE, 'node2');
    const node2 = cluster.engine(node('node2'));

    const wait = await execIn(node2, hostContainer, ['drydock-wait-engine', '30']);
    assert.equal(wait.exitCode, 0, wait.output);
    const driver = await execIn(node2, hostContainer, ['docker', 'info', '--format', '{{.Driver}}']);
    assert.equal(driver.output.trim(), 'overlay2');

    const addresses = await execIn(node2, hostContainer, ['hostname', '-I']);
    hostAddress = addresses.output.split(/\s+/).find((a) => a && overlaps(`${a}/32`, node('node2').hostSubnet)) ?? '';
    assert.ok(hostAddress, `the host has no address in ${node('node2').hostSubnet}: ${addresses.output}`);
  });

  test("this machine reaches the host's engine relay through node2, and a nested container runs", async () => {
    assert.ok(hostAddress, 'needs the lab host of the test before');
    const relay = new Docker({ host: hostAddress, port: 2375 });
    const version = (await relay.version()) as { ApiVersion?: string };
    assert.ok(version.ApiVersion, JSON.stringify(version));

    // hello-world from node2's engine into the host's, over the routed relay: no registry needed.
    const image = await cluster.engine(node('node2')).getImage('hello-world:latest').get();
    const load = await relay.loadImage(image);
    for await (const _chunk of load as AsyncIterable<Buffer>);
    const hello = await execIn(cluster.engine(node('node2')), hostContainer, ['docker', 'run', '--rm', 'hello-world']);
    assert.equal(hello.exitCode, 0, hello.output);
    assert.match(hello.output, /Hello from Docker!/);
  });

  test("a node's engine is reachable only with a client certificate, and has no open relay on 2375", async () => {
    for (const n of cluster.nodes) {
      assert.equal(await portAnswers(n.address, 2375), false, `${n.name} answers on 2375`);
    }
    const node1 = node('node1');
    const noClientCert = new Docker({ protocol: 'https', host: node1.address, port: 2376, ca: await readFile(path.join(cluster.tlsDir, 'ca.pem')) });
    await assert.rejects(noClientCert.ping());
  });

  test('close() removes the containers, the network and the routes', async () => {
    await manager().getService(SERVICE).remove();
    await manager().getNetwork(OVERLAY).remove();
    closed = true;
    await cluster.close();
    const machine = new Docker({ socketPath: '/var/run/docker.sock' });
    const label = `${CLUSTER_LABEL}=${cluster.runId}`;
    assert.deepEqual(await machine.listContainers({ all: true, filters: { label: [label] } }), []);
    assert.deepEqual(await machine.listNetworks({ filters: { label: [label] } }), []);
    for (const n of cluster.nodes) {
      const { stdout } = await run('ip', ['-4', 'route', 'show', n.hostSubnet]);
      assert.equal(stdout.trim(), '', `route to ${n.hostSubnet} left`);
    }
  });
});

/** The container of the service's one task once it runs, checking it was placed on NODE. */
async function runningTask(manager: Docker, service: string, nodeName: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const tasks = (await manager.listTasks({ filters: { service: [service] } })) as {
      NodeID?: string;
      Status: { State: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
    }[];
    const task = tasks[0];
    last = task ? `${task.Status.State} ${task.Status.Err ?? ''}` : 'no task';
    if (task && ['failed', 'rejected', 'shutdown'].includes(task.Status.State)) assert.fail(`task of ${service}: ${last}`);
    if (task?.Status.State === 'running' && task.NodeID && task.Status.ContainerStatus?.ContainerID) {
      const placed = (await manager.getNode(task.NodeID).inspect()) as { Description: { Hostname: string } };
      assert.equal(placed.Description.Hostname, nodeName);
      return task.Status.ContainerStatus.ContainerID;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`task of ${service} did not run in 60 s: ${last}`);
}

async function execIn(engine: Docker, container: string, cmd: string[]): Promise<{ exitCode: number | null; output: string }> {
  const exec = await engine.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const sink = new PassThrough();
  let output = '';
  sink.on('data', (chunk: Buffer) => (output += chunk.toString()));
  engine.modem.demuxStream(stream, sink, sink);
  await new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode, output };
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
