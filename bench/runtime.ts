/**
 * Container runtimes side by side on the real engine: runc (the engine's default) against the
 * other runtimes the engine has registered (gVisor's runsc, crun), and optionally runc on a
 * second engine that runs with user-namespace remapping.
 *   npm run bench:runtime [-- --runs 10] [-- --runtimes runc,runsc-none]
 *                         [-- --userns-engine /var/run/docker-userns.sock] [-- --host-runs 5]
 *                         [-- --parts containers,hosts]
 * For each runtime: the time to run a container (create → exit of `true`), four system-call-heavy
 * micro workloads and a CPU-only reference timed inside a running container, the memory of an idle container, and a lab host's start
 * (create → its engine answers) and idle memory. A runtime that cannot run a container or a lab
 * host is reported with the engine's error and skipped for that part.
 * Runs as root on the engine's machine: memory is read from /proc of the runtime's processes.
 * Results go to stdout; BENCHMARKS.md records them with the method.
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config/config.ts';
import { connectDocker } from '../server/sandbox/docker-client.ts';
import { execInContainer } from '../server/sandbox/exec.ts';
import { hostCreateOptions } from '../server/sandbox/host-spec.ts';
import { BASE_IMAGE, LABHOST_IMAGE } from '../server/sandbox/images/catalog.ts';
import { labelsFor, ownerFilter } from '../server/sandbox/labels.ts';
import { percentile, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'host-runs': { type: 'string', default: '5' },
    runtimes: { type: 'string', default: '' },
    'userns-engine': { type: 'string', default: '' },
    prefix: { type: 'string', default: 'drydock-bench-runtime' },
    parts: { type: 'string', default: 'containers,hosts' },
  },
});
const parts = new Set(values.parts.split(',').map((p) => p.trim()));
const runs = Number(values.runs);
const hostRuns = Number(values['host-runs']);
const owner = `bench-runtime-${randomBytes(3).toString('hex')}`;
const config = loadConfig(process.env, { owner, poolSize: 0 });
let serial = 0;
/** Idle containers and idle lab hosts measured per runtime, side by side. */
const IDLE_SAMPLES = 3;
const containerName = () => `${values.prefix}-${owner.slice(-6)}-${++serial}`;

interface Target {
  label: string;
  docker: Docker;
  runtime: string;
  /** Why this target cannot run containers (then only this is reported). */
  broken?: string;
  /** Why a lab host does not come up under it. */
  hostBroken?: string;
  network?: string;
}

/** What each workload runs; its time is taken inside the container, so exec overhead is excluded. */
const WORKLOADS: Record<string, string> = {
  'bash loop, no system calls (CPU reference)': 'for ((i=0;i<200000;i++)); do :; done',
  'read+write, 1 byte × 100,000 (dd)': 'dd if=/dev/zero of=/dev/null bs=1 count=100000 2>/dev/null',
  'stat × 20,000 (bash [ -e ])': 'for ((i=0;i<20000;i++)); do [ -e /etc/hostname ]; done',
  'find /usr -type f | wc -l': 'find /usr -type f | wc -l >/dev/null',
  'fork+exec × 200 (/bin/true)': 'for ((i=0;i<200;i++)); do /bin/true; done',
};

function errorText(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return (e.json?.message ?? e.message ?? String(err)).trim();
}

async function targets(): Promise<Target[]> {
  const main = connectDocker(config.dockerHost);
  const info = (await main.info()) as { Runtimes: Record<string, unknown>; DefaultRuntime: string };
  const known = Object.keys(info.Runtimes);
  const wanted = values.runtimes
    ? values.runtimes.split(',').map((r) => r.trim())
    : known.filter((r) => !r.startsWith('io.containerd.') && !r.includes('debug'));
  const ordered = ['runc', ...wanted.filter((r) => r !== 'runc').sort()];
  const list: Target[] = ordered.map((runtime) => ({ label: runtime, docker: main, runtime }));
  for (const t of list) {
    if (!known.includes(t.runtime)) t.broken = `the engine has no runtime "${t.runtime}" (it has ${known.join(', ')})`;
  }
  if (values['userns-engine']) {
    const docker = connectDocker(values['userns-engine']);
    const uinfo = (await docker.info()) as { SecurityOptions?: string[] };
    const remapped = (uinfo.SecurityOptions ?? []).some((o) => o.includes('userns'));
    list.push({
      label: 'runc, userns-remap engine',
      docker,
      runtime: 'runc',
      broken: remapped ? undefined : `${values['userns-engine']} does not run with user-namespace remapping`,
    });
  }
  return list;
}

async function removeAll(): Promise<void> {
  const all = new Set<Docker>([connectDocker(config.dockerHost)]);
  if (values['userns-engine']) all.add(connectDocker(values['userns-engine']));
  for (const docker of all) {
    for (const c of await docker.listContainers({ all: true, filters: ownerFilter(owner) })) {
      await docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    }
    for (const n of await docker.listNetworks({ filters: ownerFilter(owner) })) {
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    }
  }
}

function plainOptions(t: Target, cmd: string[]): Docker.ContainerCreateOptions {
  return {
    name: containerName(),
    Image: BASE_IMAGE.ref,
    Cmd: cmd,
    Labels: labelsFor(owner, 'host'),
    // No network: the runtimes differ in how they wire one, and a user-namespaced engine here
    // runs without a bridge. Start-up is compared without it.
    HostConfig: { Runtime: t.runtime, NetworkMode: 'none' },
  };
}

/** create → start → the container's exit; the removal is not timed. */
async function runOnce(t: Target): Promise<number> {
  const started = performance.now();
  const container = await t.docker.createContainer(plainOptions(t, ['true']));
  try {
    await container.start();
    const exit = (await container.wait()) as { StatusCode: number };
    const ms = performance.now() - started;
    if (exit.StatusCode !== 0)
      throw new Error(`\`true\` exited ${exit.StatusCode}: ${(await container.logs({ stdout: true, stderr: true })).toString()}`);
    return ms;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

async function timeWorkload(container: Docker.Container, script: string): Promise<number> {
  const r = await execInContainer(container, [
    'bash',
    '-c',
    `s=$(date +%s%N); ${script}; rc=$?; e=$(date +%s%N); [ $rc = 0 ] || exit $rc; echo $(( (e - s) / 1000 ))`,
  ]);
  if (r.exitCode !== 0) throw new Error(`workload exited ${r.exitCode}: ${r.stderr.trim()}`);
  return Number(r.stdout.trim()) / 1000;
}

/** The runtime's processes for one container: its containerd shim and everything below it. */
async function processTree(containerId: string): Promise<number[]> {
  const parents = new Map<number, number>();
  let shim: number | undefined;
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (cmdline[0]?.includes('containerd-shim') && cmdline[cmdline.indexOf('-id') + 1] === containerId) shim = pid;
    } catch {
      // the process ended while we looked
    }
  }
  if (shim === undefined) return [];
  const tree = [shim];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** Proportional set size of the container's runtime processes (shim, sandbox, gofer, the workload) in MiB. */
async function pssMiB(containerId: string): Promise<number> {
  let kib = 0;
  for (const pid of await processTree(containerId)) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    kib += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return kib / 1024;
}

/** Memory the engine reports for the container's cgroup, without page cache (NaN when the runtime gives none). */
async function cgroupMiB(container: Docker.Container): Promise<number> {
  const stats = await container.stats({ stream: false }).catch(() => undefined);
  const usage = stats?.memory_stats?.usage;
  if (!usage) return NaN;
  const cache = (stats.memory_stats.stats as Record<string, number> | undefined)?.total_inactive_file ?? 0;
  return (usage - cache) / 1024 / 1024;
}

/** The text of a non-TTY container's log: frames of an 8-byte header (stream, length) and their bytes. */
function demux(buffer: Buffer): string {
  const frames: Buffer[] = [];
  for (let at = 0; at + 8 <= buffer.length;) {
    const length = buffer.readUInt32BE(at + 4);
    frames.push(buffer.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return Buffer.concat(frames).toString('utf8');
}

/** Creates and starts a lab host as the platform would, under the target's runtime; resolves once its engine answers. */
async function startHost(t: Target): Promise<{ container: Docker.Container; ms: number }> {
  const name = containerName();
  const options = hostCreateOptions(config, { containerName: name, hostName: 'node1', network: t.network!, labels: labelsFor(owner, 'host') });
  options.HostConfig!.Runtime = t.runtime;
  const started = performance.now();
  const container = await t.docker.createContainer(options);
  try {
    await container.start();
    const r = await execInContainer(container, ['drydock-wait-engine', '30']).catch((err: unknown) => ({
      exitCode: -1,
      stdout: '',
      stderr: errorText(err),
    }));
    const ms = performance.now() - started;
    if (r.exitCode !== 0) {
      // A host that failed at start may still be writing its last words.
      await Promise.race([container.wait({ condition: 'not-running' }).catch(() => undefined), sleep(2_000)]);
      const logs = demux((await container.logs({ stdout: true, stderr: true, tail: 30 }).catch(() => Buffer.alloc(0))) as Buffer);
      const tail = (text: string) =>
        text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('dmesg(1)'))
          .slice(-4)
          .join(' | ');
      throw new Error([tail(r.stderr), logs && `container output: ${tail(logs)}`].filter(Boolean).join(' | '));
    }
    return { container, ms };
  } catch (err) {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    throw err;
  }
}

function ratioLine(label: string, samples: Map<string, number[]>, unit: string): void {
  const base = percentile(samples.get('runc') ?? [], 50);
  const lines = [...samples].map(([name, s]) => {
    const p50 = percentile(s, 50);
    return `${name} ${summary(s, unit)}${name !== 'runc' && base ? ` (×${(p50 / base).toFixed(2)} runc)` : ''}`;
  });
  console.log(`${label}:\n  ${lines.join('\n  ')}`);
}

const list = await targets();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void removeAll().finally(() => process.exit(130)));
console.log(`runtime bench: ${list.map((t) => t.label).join(', ')}; ${runs} runs each, runtimes interleaved in every round`);
try {
  for (const t of list.filter((t) => !t.broken)) {
    await runOnce(t).catch((err) => (t.broken = errorText(err)));
  }
  for (const t of list.filter((t) => t.broken)) console.log(`${t.label}: cannot run a container: ${t.broken}`);
  const usable = list.filter((t) => !t.broken);
  if (parts.has('containers')) await containerParts(usable);
  if (parts.has('hosts')) await hostParts(usable);
} finally {
  await removeAll();
}

async function containerParts(usable: Target[]): Promise<void> {
  const start = new Map(usable.map((t) => [t.label, [] as number[]]));
  for (let i = 0; i < runs; i++) for (const t of usable) start.get(t.label)!.push(await runOnce(t));
  ratioLine('container run (create → `true` exits), no network', start, 'ms');

  // Idle memory: IDLE_SAMPLES containers of each runtime at once; the first also runs the workloads.
  const sleepers = new Map(usable.map((t) => [t.label, [] as Docker.Container[]]));
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    for (const t of usable) {
      const c = await t.docker.createContainer(plainOptions(t, ['sleep', 'infinity']));
      await c.start();
      sleepers.get(t.label)!.push(c);
    }
  }
  await sleep(5_000);
  const pss = new Map<string, number[]>();
  const cg = new Map<string, number[]>();
  for (const [label, containers] of sleepers) {
    pss.set(label, await Promise.all(containers.map(async (c) => pssMiB((await c.inspect()).Id))));
    cg.set(label, await Promise.all(containers.map((c) => cgroupMiB(c))));
  }
  ratioLine('idle container (`sleep infinity`), PSS of shim + runtime processes', pss, 'MiB');
  ratioLine('idle container, cgroup memory without page cache', cg, 'MiB');
  for (const [label, script] of Object.entries(WORKLOADS)) {
    const times = new Map(usable.map((t) => [t.label, [] as number[]]));
    for (let i = 0; i < runs; i++) {
      for (const t of usable) {
        await timeWorkload(sleepers.get(t.label)![0]!, script).then(
          (ms) => times.get(t.label)!.push(ms),
          (err) => console.log(`  ${t.label}: ${label}: ${errorText(err)}`),
        );
      }
    }
    ratioLine(label, new Map([...times].filter(([, s]) => s.length > 0)), 'ms');
  }
  for (const c of [...sleepers.values()].flat()) await c.remove({ force: true }).catch(() => undefined);
}

async function hostParts(usable: Target[]): Promise<void> {
  // Lab hosts: each engine gets an internal network for them, as a session would.
  for (const t of usable) {
    const net = await t.docker.createNetwork({ Name: containerName(), Internal: true, Labels: labelsFor(owner, 'session-network') });
    t.network = (await net.inspect()).Name;
    await t.docker
      .getImage(LABHOST_IMAGE)
      .inspect()
      .catch(() => (t.hostBroken = `${LABHOST_IMAGE} is missing on this engine`));
  }
  for (const t of usable.filter((t) => !t.hostBroken)) {
    await startHost(t).then(
      (h) => h.container.remove({ force: true, v: true }),
      (err) => (t.hostBroken = errorText(err)),
    );
  }
  for (const t of usable.filter((t) => t.hostBroken)) console.log(`${t.label}: no lab host: ${t.hostBroken}`);
  const hosts = usable.filter((t) => !t.hostBroken);
  const hostStart = new Map(hosts.map((t) => [t.label, [] as number[]]));
  for (let i = 0; i < hostRuns; i++) {
    for (const t of hosts) {
      const h = await startHost(t);
      hostStart.get(t.label)!.push(h.ms);
      await h.container.remove({ force: true, v: true });
    }
  }
  ratioLine('lab host start (create → its engine answers)', hostStart, 'ms');
  // Memory: IDLE_SAMPLES hosts of each runtime at once, measured after 15 s of idling.
  const idleHosts = new Map(hosts.map((t) => [t.label, [] as Docker.Container[]]));
  for (let i = 0; i < IDLE_SAMPLES; i++) for (const t of hosts) idleHosts.get(t.label)!.push((await startHost(t)).container);
  await sleep(15_000);
  const hostPss = new Map<string, number[]>();
  const hostCg = new Map<string, number[]>();
  for (const [label, containers] of idleHosts) {
    hostPss.set(label, await Promise.all(containers.map(async (c) => pssMiB((await c.inspect()).Id))));
    hostCg.set(label, await Promise.all(containers.map((c) => cgroupMiB(c))));
  }
  ratioLine('idle lab host after 15 s, PSS of shim + runtime processes', hostPss, 'MiB');
  ratioLine('idle lab host, cgroup memory without page cache', hostCg, 'MiB');
}
