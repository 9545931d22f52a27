/**
 * The cluster backend against the single machine, side by side in one run.
 *   npm run bench:cluster [-- --runs 10]
 * Starts a simulated three-node Swarm (server/test-support/test-cluster.ts) and, for each backend
 * in turn, measures at the sandbox (the server's share is the same on both): start to the first
 * prompt byte, cold and from the warm pool; keystroke echo; registry and engine check latency
 * through one keep-alive CheckContext; and the memory of an active registry-lab host (a registry
 * running, two images pushed). Results go to stdout; BENCHMARKS.md records them with the method.
 */
import { parseArgs } from 'node:util';
import type Docker from 'dockerode';
import { CheckContext } from '../checks/check-context.ts';
import { check } from '../checks/test-support/check-runner.ts';
import type { Config } from '../server/config/config.ts';
import { createLogger } from '../server/logging/logger.ts';
import { ClusterSandbox } from '../server/sandbox/cluster/cluster-sandbox.ts';
import type { ClusterHost } from '../server/sandbox/cluster/cluster-host.ts';
import { connectDocker } from '../server/sandbox/docker-client.ts';
import type { HostGroup, LabHost, Sandbox } from '../server/sandbox/sandbox.ts';
import { sh, startTestSandbox, testConfig } from '../server/test-support/sandbox.ts';
import { startTestCluster, type TestCluster } from '../server/test-support/test-cluster.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const log = createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'silent');

interface Backend {
  name: string;
  start(config: Partial<Config>): Promise<Sandbox>;
  /** The engine that runs a host's container (for its memory). */
  engineOf(host: LabHost): Docker;
}

const f = (samples: readonly number[], digits = 1) =>
  `n=${samples.length} p50=${percentile(samples, 50).toFixed(digits)} p95=${percentile(samples, 95).toFixed(digits)} max=${Math.max(...samples).toFixed(digits)}`;

/** From the request to the first prompt byte of a shell in the session's host. */
async function startToPrompt(sandbox: Sandbox, pooled: boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (pooled) await sandbox.poolFilled();
    const started = performance.now();
    const group = await sandbox.createHostGroup({ hostNames: ['node1'] });
    const shell = await group.host('node1').openShell({ cols: 80, rows: 24 });
    await new Promise<void>((resolve) => {
      let text = '';
      shell.onData((chunk) => {
        text += chunk.toString();
        if (text.includes('root@')) resolve();
      });
    });
    samples.push(performance.now() - started);
    shell.close();
    await group.dispose();
  }
  return samples;
}

/** One key at a time at a bash prompt, each waiting for its echo. */
async function echo(group: HostGroup): Promise<number[]> {
  const shell = await group.host('node1').openShell({ cols: 80, rows: 24 });
  let text = '';
  let waiter: (() => void) | undefined;
  shell.onData((chunk) => {
    text += chunk.toString();
    waiter?.();
  });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      waiter = () => done() && resolve();
      waiter();
    });
  await until(() => text.includes('root@'));
  const samples: number[] = [];
  for (let i = 0; i < 220; i++) {
    const before = text.length;
    const started = performance.now();
    shell.write('x');
    await until(() => text.length > before);
    if (i >= 20) samples.push(performance.now() - started);
    if (i % 50 === 49) shell.write('\x15');
  }
  shell.close();
  return samples;
}

async function checkLatency(group: HostGroup): Promise<{ registry: number[]; engine: number[] }> {
  using context = new CheckContext(group);
  const cases = [
    { group: 'registry', kind: 'registry-has-tag', params: { registry: '127.0.0.1:5000', repository: 'hello-world', tag: 'latest' } },
    { group: 'registry', kind: 'registry-answers', params: { registry: '127.0.0.1:5000' } },
    { group: 'engine', kind: 'container-running', params: { name: 'registry', image: 'registry', publish: '5000:5000' } },
    { group: 'engine', kind: 'image-present', params: { image: '127.0.0.1:5000/hello-world' } },
  ] as const;
  const result = { registry: [] as number[], engine: [] as number[] };
  for (const c of cases) {
    const first = await check(context, c.kind, c.params);
    if (!first.passed) throw new Error(`${c.kind} does not pass: ${first.message}`);
    for (let i = 0; i < 20; i++) await check(context, c.kind, c.params);
    for (let i = 0; i < runs * 20; i++) result[c.group].push((await check(context, c.kind, c.params)).ms);
  }
  return result;
}

/** Memory charged to the host's cgroup (RSS + kernel, tmpfs disk included, page cache left out), and its CPU time so far. */
async function usage(engine: Docker, host: LabHost): Promise<{ mib: number; cpuSeconds: number }> {
  const stats = await engine.getContainer(host.containerId).stats({ stream: false });
  const cache = (stats.memory_stats.stats as Record<string, number>)?.total_inactive_file ?? 0;
  return { mib: (stats.memory_stats.usage - cache) / 1024 / 1024, cpuSeconds: stats.cpu_stats.cpu_usage.total_usage / 1e9 };
}

async function measure(backend: Backend): Promise<void> {
  console.log(`\n== ${backend.name}`);
  const cold = await backend.start({ poolSize: 0 });
  try {
    console.log(`start to prompt, cold (ms):   ${f(await startToPrompt(cold, false), 0)}`);
  } finally {
    await cold.close();
  }
  const sandbox = await backend.start({ poolSize: 3 });
  try {
    console.log(`start to prompt, pooled (ms): ${f(await startToPrompt(sandbox, true), 0)}`);
    const group = await sandbox.createHostGroup({ hostNames: ['node1'] });
    const host = group.host('node1');
    const idle = await usage(backend.engineOf(host), host);
    console.log(`idle host memory (MiB):       ${idle.mib.toFixed(1)}`);
    await sh(
      host,
      'docker run -d --name registry -p 5000:5000 registry >/dev/null && ' +
        'for i in $(seq 50); do curl -sf localhost:5000/v2/ >/dev/null && break; sleep 0.1; done && ' +
        'for image in hello-world nginx; do docker pull -q $image >/dev/null && docker tag $image 127.0.0.1:5000/$image && docker push -q 127.0.0.1:5000/$image >/dev/null; done',
    );
    const active = await usage(backend.engineOf(host), host);
    console.log(`active registry host (MiB):   ${active.mib.toFixed(1)}  (registry running, hello-world and nginx pushed)`);
    console.log(`CPU of that work (s):         ${(active.cpuSeconds - idle.cpuSeconds).toFixed(2)}`);
    console.log(`keystroke echo (ms):          ${f(await echo(group), 2)}`);
    const checks = await checkLatency(group);
    console.log(`registry checks (ms):         ${f(checks.registry, 1)}`);
    console.log(`engine checks (ms):           ${f(checks.engine, 1)}`);
    await group.dispose();
  } finally {
    await sandbox.close();
  }
}

const machine: Backend = {
  name: 'single machine (default: user-namespaced hosts on Drydock engine)',
  start: (config) => startTestSandbox(testConfig(config)),
  engineOf: () => connectDocker(testConfig().dockerHost),
};

const cluster: TestCluster = await startTestCluster({ nodes: 3 });
try {
  const onCluster: Backend = {
    name: 'cluster (3 simulated nodes, one-task services, mutual TLS)',
    start: (config) =>
      ClusterSandbox.start(
        testConfig({ sandbox: 'cluster', isolation: 'privileged', clusterManager: cluster.managerHost, clusterTlsDir: cluster.tlsDir, ...config }),
        log,
      ),
    engineOf: (host) => cluster.engine(cluster.nodes.find((n) => n.name === (host as ClusterHost).node.name)!),
  };
  await measure(machine);
  await measure(onCluster);
} finally {
  await cluster.close();
}
