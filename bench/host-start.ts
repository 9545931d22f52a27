/**
 * Lab host start-up and footprint on the real engine.
 *   npm run bench:hosts [-- --runs 10] [-- --density 300]
 * Cold start (1 and 3 hosts), start from the warm pool, pool refill rate, a fresh host's pull
 * of a mirrored lesson image, idle memory per host, and (with --density N) N idle single-host
 * sessions at once. Results go to stdout; BENCHMARKS.md records them with the method.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDocker } from '../server/sandbox/docker-client.ts';
import type { HostGroup } from '../server/sandbox/sandbox.ts';
import { sh, startTestSandbox, testConfig } from '../server/test-support/sandbox.ts';
import { percentile, summary } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, density: { type: 'string', default: '0' } } });
const runs = Number(values.runs);
const density = Number(values.density);

async function cold(hosts: string[]): Promise<number[]> {
  const sandbox = await startTestSandbox(testConfig({ poolSize: 0 }));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const session = await sandbox.createHostGroup({ hostNames: hosts });
    times.push(performance.now() - started);
    await session.dispose();
  }
  await sandbox.close();
  return times;
}

async function pooled(): Promise<{ take: number[]; refillPerSecond: number }> {
  const poolSize = 4;
  const sandbox = await startTestSandbox(testConfig({ poolSize }));
  const fillStarted = performance.now();
  await sandbox.poolFilled();
  const refillPerSecond = poolSize / ((performance.now() - fillStarted) / 1000);
  const take: number[] = [];
  for (let i = 0; i < runs; i++) {
    await sandbox.poolFilled();
    const started = performance.now();
    const session = await sandbox.createHostGroup({ hostNames: ['node1'] });
    take.push(performance.now() - started);
    await session.dispose();
  }
  await sandbox.close();
  return { take, refillPerSecond };
}

async function pullInFreshHost(): Promise<number[]> {
  const sandbox = await startTestSandbox(testConfig({ poolSize: 0 }));
  const times: number[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    const session = await sandbox.createHostGroup({ hostNames: ['node1'] });
    const out = await sh(session.host('node1'), 's=$(date +%s%N); docker pull -q registry >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 ))');
    times.push(Number(out.trim()));
    await session.dispose();
  }
  await sandbox.close();
  return times;
}

/** Memory charged to each host's cgroup (RSS + kernel, without page cache) after it settles. */
async function idleMemoryMiB(sessions: HostGroup[]): Promise<number[]> {
  const docker = connectDocker(testConfig().dockerHost);
  return Promise.all(
    sessions.map(async (s) => {
      const stats = await docker.getContainer(s.hosts[0]!.containerId).stats({ stream: false });
      const cache = (stats.memory_stats.stats as Record<string, number>)?.total_inactive_file ?? 0;
      return (stats.memory_stats.usage - cache) / 1024 / 1024;
    }),
  );
}

function memAvailableMiB(): Promise<number> {
  return import('node:fs/promises')
    .then((fs) => fs.readFile('/proc/meminfo', 'utf8'))
    .then((m) => Number(/MemAvailable:\s+(\d+)/.exec(m)![1]) / 1024);
}

async function idle(count: number): Promise<void> {
  const sandbox = await startTestSandbox(testConfig({ poolSize: 0, hostMemoryMib: 256, hostDiskMib: 128 }));
  const before = await memAvailableMiB();
  const sessions: HostGroup[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      sessions.push(await sandbox.createHostGroup({ hostNames: ['node1'] }));
      if ((i + 1) % 25 === 0) console.log(`  ${i + 1} sessions, ${((performance.now() - started) / 1000).toFixed(0)}s`);
    }
    await sleep(10_000);
    const perHost = await idleMemoryMiB(sessions);
    const after = await memAvailableMiB();
    console.log(`idle sessions: ${count} single-host sessions running at once`);
    console.log(`  memory per idle host (cgroup, no page cache): ${summary(perHost, 'MiB')}`);
    console.log(`  MemAvailable drop per session: ${((before - after) / count).toFixed(1)} MiB (${(before - after).toFixed(0)} MiB in all)`);
    console.log(`  at that rate, 24 GiB holds ${Math.floor((24 * 1024) / ((before - after) / count))} sessions`);
  } finally {
    await sandbox.close();
  }
}

console.log(`lab host bench, ${runs} runs each`);
const cold1 = await cold(['node1']);
console.log(`cold, 1 host:  ${summary(cold1)}`);
const cold3 = await cold(['manager', 'worker1', 'worker2']);
console.log(`cold, 3 hosts: ${summary(cold3)}`);
const pool = await pooled();
console.log(`from the warm pool, 1 host: ${summary(pool.take)}; pool fill rate ${pool.refillPerSecond.toFixed(2)} hosts/s`);
const pulls = await pullInFreshHost();
console.log(`fresh host, docker pull registry (mirrored): ${summary(pulls)}`);
await idle(density > 0 ? density : 10);
console.log(
  `targets: cold p50<=1000 p95<=1500 (${percentile(cold1, 50).toFixed(0)}/${percentile(cold1, 95).toFixed(0)}); ` +
    `3 hosts p95<=3000 (${percentile(cold3, 95).toFixed(0)}); pool p50<=100 (${percentile(pool.take, 50).toFixed(0)}); refill>=2/s`,
);
