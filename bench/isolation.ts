/**
 * Privileged lab hosts (the machine's engine) against user-namespaced ones (the engine Drydock
 * owns, with the cgroup hand-over), in one run, as ratios after/before:
 *   npx tsx bench/isolation.ts [-- --runs 5] [-- --verify]
 * For each isolation: a cold host start (create → its engine answers, the hand-over included),
 * a pooled start (a session from a full warm pool), `docker run --rm hello-world` inside a host
 * (the image pulled from the mirror first), a system-call-heavy loop timed inside the host,
 * the idle memory of a host (the engine's stats, 10 s after its start), and with --verify the
 * time `drydock verify` takes for every lab. The two isolations alternate run by run, so load
 * from other work on the machine falls on both. Results go to stdout; BENCHMARKS.md keeps them.
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import type { Config } from '../server/config/config.ts';
import { connectDocker } from '../server/sandbox/docker-client.ts';
import type { DockerSandbox } from '../server/sandbox/docker-sandbox.ts';
import type { LabHost } from '../server/sandbox/sandbox.ts';
import { privilegedTestConfig, sh, startTestSandbox, testConfig } from '../server/test-support/sandbox.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, verify: { type: 'boolean', default: false } } });
const runs = Number(values.runs);

const MODES = {
  privileged: () => privilegedTestConfig(),
  userns: () => testConfig(),
} as const;
type Mode = keyof typeof MODES;
const samples: Record<string, Record<Mode, number[]>> = {};
function record(what: string, mode: Mode, value: number): void {
  samples[what] ??= { privileged: [], userns: [] };
  samples[what][mode].push(value);
}

/** Milliseconds a script takes inside the host, timed there (exec overhead excluded). */
async function timedInside(host: LabHost, script: string): Promise<number> {
  const out = await sh(host, `s=$(date +%s%N); ${script} >/dev/null 2>&1 || exit 1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))`);
  return Number(out.trim());
}

async function withSandbox<T>(config: Config, body: (sandbox: DockerSandbox) => Promise<T>): Promise<T> {
  const sandbox = await startTestSandbox(config);
  try {
    return await body(sandbox);
  } finally {
    await sandbox.close();
  }
}

async function coldRun(mode: Mode): Promise<void> {
  const config = MODES[mode]();
  await withSandbox(config, async (sandbox) => {
    const docker = connectDocker(config.dockerHost);
    const group = await sandbox.createHostGroup({ hostNames: ['node1'] });
    try {
      record('host start, cold (ms)', mode, group.timings.readyMs);
      const host = group.host('node1');
      await sh(host, 'docker pull -q hello-world');
      record('docker run --rm hello-world in a host (ms)', mode, await timedInside(host, 'docker run --rm hello-world'));
      record('1-byte reads+writes ×200,000 in a host (ms)', mode, await timedInside(host, 'dd if=/dev/zero of=/dev/null bs=1 count=200000'));
      record('fork+exec ×500 in a host (ms)', mode, await timedInside(host, 'for ((i=0;i<500;i++)); do /bin/true; done'));
      await sleep(Math.max(0, 10_000 - group.timings.readyMs));
      const stats = (await docker.getContainer(host.containerId).stats({ stream: false })) as {
        memory_stats: { usage: number; stats?: { cache?: number } };
      };
      const used = stats.memory_stats.usage - (stats.memory_stats.stats?.cache ?? 0);
      record('idle host memory, without page cache (MiB)', mode, used / 1024 / 1024);
    } finally {
      await group.dispose();
    }
  });
}

async function pooledRun(mode: Mode): Promise<void> {
  await withSandbox({ ...MODES[mode](), poolSize: 1 }, async (sandbox) => {
    await sandbox.poolFilled();
    const group = await sandbox.createHostGroup({ hostNames: ['node1'] });
    record('host start, pooled (ms)', mode, group.timings.readyMs);
    await group.dispose();
  });
}

async function verifyRun(mode: Mode): Promise<void> {
  const config = MODES[mode]();
  const env = { ...process.env, DRYDOCK_DOCKER_HOST: config.dockerHost, DRYDOCK_ISOLATION: config.isolation, DRYDOCK_SUBNET_POOL: config.subnetPool };
  const started = performance.now();
  await promisify(execFile)('npx', ['tsx', 'server/cli/drydock.ts', 'verify'], { env, maxBuffer: 64 * 1024 * 1024 });
  record('drydock verify, every lab (s)', mode, (performance.now() - started) / 1000);
}

/** Runs that failed (on a loaded machine a host's engine may miss its 30 s), reported beside the figures. */
const failures: string[] = [];
async function attempt(what: string, mode: Mode, run: (mode: Mode) => Promise<void>): Promise<void> {
  await run(mode).catch((err: Error) => failures.push(`${what}, ${mode}: ${err.message.split('\n')[0]}`));
}

for (let i = 0; i < runs; i++) {
  for (const mode of ['privileged', 'userns'] as const) {
    await attempt('cold', mode, coldRun);
    await attempt('pooled', mode, pooledRun);
  }
  console.error(`run ${i + 1}/${runs} done`);
}
if (values.verify) for (const mode of ['privileged', 'userns'] as const) await attempt('verify', mode, verifyRun);

console.log('| median of each | privileged | userns | ratio |');
console.log('|---|---|---|---|');
for (const [what, byMode] of Object.entries(samples)) {
  const [p, u] = [percentile(byMode.privileged, 50), percentile(byMode.userns, 50)];
  console.log(`| ${what} (n=${byMode.userns.length}) | ${p.toFixed(1)} | ${u.toFixed(1)} | ×${(u / p).toFixed(2)} |`);
}
for (const failure of failures) console.log(`failed: ${failure}`);
