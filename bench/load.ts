/**
 * Many learners at once on the real engine (issue 7): N single-host sessions, a share of them
 * flooding their terminal, the rest typing.
 *   npm run bench:load [-- --sessions 300 --flooding 0.1 --seconds 60]
 *   (a quick one while developing: npm run bench:load -- --sessions 20 --seconds 15)
 *
 * This process hosts the real lab server (HTTP, session sockets, sessions with their timer
 * checks, terminals over Engine API exec), so the event-loop delay and memory measured here are
 * the server's. The browsers are child processes (bench/load-client.ts): they start every
 * session over HTTP, attach its WebSocket and acknowledge output as it arrives. Floods get a
 * child of their own, so a busy client does not delay the quiet sessions' echoes.
 *
 * Targets: no session dropped; event-loop lag p99 ≤ 20 ms during the window.
 * Every host and network is labelled with the owner `bench-load` and removed at the end, on
 * failure and on Ctrl-C; a later run sweeps what a killed one left.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import { loadavg } from 'node:os';
import { constants as perf, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config/config.ts';
import { policyFrom } from '../server/drydock.ts';
import { startTestServer, type TestServer } from '../server/test-support/test-server.ts';
import { loadLabCatalog } from '../server/labs/load.ts';
import { connectDocker } from '../server/sandbox/docker-client.ts';
import { ownerFilter } from '../server/sandbox/labels.ts';
import { sweepOwner } from '../server/sandbox/sweep.ts';
import { ownedResources } from '../server/test-support/sandbox.ts';
import type { ClientResult, FromClient, ToClient } from './load-client.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '300' },
    /** Share of the sessions that flood their terminal. */
    flooding: { type: 'string', default: '0.1' },
    /** Length of the measured window. */
    seconds: { type: 'string', default: '60' },
    /** Client processes; with floods, the first one takes all of them. */
    clients: { type: 'string', default: '3' },
    /** Session starts in flight at once. */
    concurrency: { type: 'string', default: '4' },
    'key-interval-ms': { type: 'string', default: '2000' },
    /** A terminal silent this long (an echo, a flood's output) counts its session as dropped. */
    'stall-ms': { type: 'string', default: '10000' },
    'flood-command': { type: 'string', default: 'yes' },
    /** monitorEventLoopDelay's timer period; a sample is this period plus the lag. */
    'lag-resolution-ms': { type: 'string', default: '10' },
    /** Diagnosis: write a sampling heap profile of the window here (objects collected by major GCs included). */
    'heap-profile': { type: 'string', default: '' },
    /** Experiment: every host's CPU weight (docker update --cpu-shares) before the load starts; 1024 undoes host-spec's 128. */
    'host-cpu-shares': { type: 'string', default: '' },
  },
});
const SESSIONS = Number(values.sessions);
const FLOODS = Math.round(SESSIONS * Number(values.flooding));
const SECONDS = Number(values.seconds);
const CLIENTS = Math.max(1, Math.min(Number(values.clients), SESSIONS));
const CONCURRENCY = Number(values.concurrency);
const RESOLUTION_MS = Number(values['lag-resolution-ms']);
const WARM_UP_MS = 3_000;
const SETTLE_MS = 10_000;
const OWNER = 'bench-load';
const LAB = 'load-bench';
const LABS_DIR = fileURLToPath(new URL('./fixtures/labs/', import.meta.url));
const CLIENT_SCRIPT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

const isFlood = (n: number) => Math.floor(((n + 1) * FLOODS) / SESSIONS) > Math.floor((n * FLOODS) / SESSIONS);
const MiB = (bytes: number) => bytes / 1024 / 1024;
const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const dist = (samples: readonly number[], digits = 1, unit = 'ms') =>
  samples.length === 0
    ? 'n=0'
    : `n=${samples.length} p50=${f(percentile(samples, 50), digits)} p95=${f(percentile(samples, 95), digits)} p99=${f(percentile(samples, 99), digits)} max=${f(Math.max(...samples), digits)} ${unit}`;
/** monitorEventLoopDelay records the timer's period plus its lateness; the lag is the lateness. */
const lag = (h: IntervalHistogram, p: number) => Math.max(0, (p === 100 ? h.max : h.percentile(p)) / 1e6 - RESOLUTION_MS);
const lagLine = (h: IntervalHistogram) => `p50 ${f(lag(h, 50))} ms, p99 ${f(lag(h, 99))} ms, max ${f(lag(h, 100))} ms (n=${h.count})`;

/** CPU time the lab hosts' cgroups have used, in ms (cgroup v1 cpuacct or v2 cpu.stat; NaN if neither is readable). */
function hostsCpuMs(ids: readonly string[]): number {
  const read = (id: string) => {
    for (const [path, parse] of [
      [`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, (t: string) => Number(t) / 1e6],
      [`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, (t: string) => Number(/usage_usec (\d+)/.exec(t)?.[1]) / 1e3],
    ] as const) {
      try {
        return parse(readFileSync(path, 'utf8'));
      } catch {
        // not this cgroup layout: try the next
      }
    }
    return NaN;
  };
  return ids.reduce((sum, id) => sum + read(id), 0);
}

/** CPU ticks of every process on the machine by name (the server and the clients by role), from /proc. */
function processTicks(roles: ReadonlyMap<number, string>): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = roles.get(Number(pid)) ?? stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(name, (ticks.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process is gone meanwhile
    }
  }
  return ticks;
}

/** The biggest CPU users between two processTicks snapshots, in % of one core. */
function topUsers(before: Map<string, number>, after: Map<string, number>, seconds: number, count = 8): string {
  const hz = 100;
  return [...after]
    .map(([name, t]) => [name, ((t - (before.get(name) ?? 0)) / hz / seconds) * 100] as const)
    .filter(([, pct]) => pct > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, pct]) => `${name} ${f(pct, 0)}%`)
    .join(', ');
}

/** The inspector's sampling heap profiler, keeping what major GCs collect: where old-space garbage comes from. */
async function startHeapSampling(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  await post('HeapProfiler.startSampling', { samplingInterval: 16 * 1024, includeObjectsCollectedByMajorGC: true });
  return {
    async stop(file) {
      const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Busy share of all CPUs since the previous call, from /proc/stat. */
function cpuMeter(): () => number {
  const read = () => {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const t = fields.map(Number);
    const idle = t[3]! + t[4]!;
    return { idle, total: t.reduce((a, b) => a + b, 0) };
  };
  let last = read();
  return () => {
    const now = read();
    const share = 1 - (now.idle - last.idle) / (now.total - last.total);
    last = now;
    return share;
  };
}

// ---- clients ---------------------------------------------------------------------------------

const children: ChildProcess[] = [];
const waiting = new Map<number, (m: FromClient) => void>();
const results: ClientResult[] = [];
const drops: { n: number; reason: string; phase: string }[] = [];
let phase = 'start';
let resultWaiters: (() => void)[] = [];
let closedChildren = 0;

function startClients(url: string): void {
  for (let i = 0; i < CLIENTS; i++) {
    const child = fork(CLIENT_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: FromClient) => {
      if (m.type === 'opened' || m.type === 'failed') waiting.get(m.n)?.(m);
      else if (m.type === 'dropped') {
        drops.push({ n: m.n, reason: m.reason, phase });
        console.log(`  session ${m.n} dropped during ${phase}: ${m.reason}`);
      } else if (m.type === 'result') {
        results.push(m.result);
        resultWaiters.forEach((w) => w());
      } else if (m.type === 'closed') closedChildren++;
    });
    child.on('exit', (code, signal) => {
      if (!['close', 'cleanup', 'done'].includes(phase)) console.log(`  client process ${i} exited (${code ?? signal}) during ${phase}`);
    });
    child.send({
      type: 'config',
      url,
      lab: LAB,
      keyIntervalMs: Number(values['key-interval-ms']),
      stallMs: Number(values['stall-ms']),
      floodCommand: values['flood-command']!,
    } satisfies ToClient);
    children.push(child);
  }
}

/** Floods go to the first client when there is more than one; quiet sessions to the others in turn. */
function clientFor(n: number): ChildProcess {
  if (CLIENTS === 1 || FLOODS === 0) return children[n % CLIENTS]!;
  if (isFlood(n)) return children[0]!;
  return children[1 + (n % (CLIENTS - 1))]!;
}

const tell = (message: ToClient) => children.forEach((c) => c.connected && c.send(message));

function open(n: number): Promise<FromClient> {
  return new Promise((resolve) => {
    waiting.set(n, resolve);
    clientFor(n).send({ type: 'open', n, flood: isFlood(n) } satisfies ToClient);
  });
}

// ---- clean-up (also on Ctrl-C) ---------------------------------------------------------------

let app: TestServer | undefined;
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    const wasPhase = phase;
    phase = 'cleanup';
    for (const child of children) if (child.exitCode === null) child.kill();
    const started = performance.now();
    if (app) await app.close().catch((err) => console.log(`  server close failed: ${err}`));
    const config = app?.config ?? loadConfig({}, { owner: OWNER });
    // Whatever the close missed (a start that was half-way, a failure), by label.
    const swept = await sweepOwner(connectDocker(config.dockerHost), OWNER).catch(() => undefined);
    const left = await ownedResources(config).catch(() => ['(could not list)']);
    console.log(
      `clean-up after ${wasPhase}: ${f((performance.now() - started) / 1000)} s` +
        (swept && swept.containers + swept.networks > 0 ? `, the sweep removed ${swept.containers} containers and ${swept.networks} networks` : '') +
        `; left behind: ${left.length === 0 ? 'nothing' : left.join(', ')}`,
    );
  })();
  return cleaning;
}
// The safety net: a process outside this one's group that sweeps the owner once this one is gone.
spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load-reaper.ts', import.meta.url)), String(process.pid), OWNER], {
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit'],
}).unref();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return console.log('  still removing lab hosts; please wait');
    interrupted = true;
    console.log(`\n${signal}: removing every lab host and network of ${OWNER}...`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---- the run ---------------------------------------------------------------------------------

console.log(
  `Load: ${SESSIONS} single-host sessions (${FLOODS} flooding with \`${values['flood-command']}\`, ${SESSIONS - FLOODS} typing a key every ${values['key-interval-ms']} ms), ` +
    `${SECONDS} s window, ${CLIENTS} client processes, ${CONCURRENCY} starts in flight`,
);
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

try {
  const { labs, errors } = await loadLabCatalog(LABS_DIR);
  if (errors.length > 0) throw new Error(`bench labs have problems: ${JSON.stringify(errors)}`);
  // The production policy (sweep every 1 s, timer checks every 10 s), with room for every session from one address.
  const policy = { ...policyFrom(loadConfig({})), limits: { perLearner: SESSIONS, perAddress: SESSIONS, total: SESSIONS } };
  app = await startTestServer({ labs, checks: true, policy, config: { poolSize: 0, owner: OWNER } });
  startClients(app.url);
  const rss = () => MiB(process.memoryUsage().rss);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssIdle = rss();

  // Ramp: every session started over HTTP and attached, CONCURRENCY at a time.
  phase = 'ramp';
  const rampLag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  rampLag.enable();
  const rampStarted = performance.now();
  const startMs: number[] = [];
  const promptMs: number[] = [];
  const failures: string[] = [];
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, SESSIONS) }, async () => {
      while (next < SESSIONS && !interrupted) {
        const n = next++;
        const answer = await open(n);
        if (answer.type === 'opened') {
          startMs.push(answer.startMs);
          promptMs.push(answer.promptMs);
        } else if (answer.type === 'failed') {
          failures.push(`${n}: ${answer.message}`);
          console.log(`  session ${n} did not start: ${answer.message}`);
        }
        if (++done % 25 === 0 || done === SESSIONS) {
          console.log(
            `  ${done} sessions, ${f((performance.now() - rampStarted) / 1000, 0)} s, server RSS ${f(rss(), 0)} MiB, load ${loadavg()[0]!.toFixed(1)}`,
          );
        }
      }
    }),
  );
  const rampSeconds = (performance.now() - rampStarted) / 1000;
  rampLag.disable();
  if (interrupted) throw new Error('interrupted');
  const hostIds = (await connectDocker(app.config.dockerHost).listContainers({ filters: ownerFilter(OWNER, 'host') })).map((c) => c.Id);
  if (values['host-cpu-shares']) {
    const docker = connectDocker(app.config.dockerHost);
    await Promise.all(hostIds.map((id) => docker.getContainer(id).update({ CpuShares: Number(values['host-cpu-shares']) })));
    console.log(`  every host's CPU weight set to ${values['host-cpu-shares']} (cpu.shares; 1024 is the default)`);
  }
  const idleHostsBefore = hostsCpuMs(hostIds);
  await sleep(SETTLE_MS);
  const idleHostsCores = (hostsCpuMs(hostIds) - idleHostsBefore) / SETTLE_MS;
  gc?.();
  const rssSessions = rss();

  // Load: floods start, quiet sessions type; after a warm-up the window is measured.
  phase = 'load';
  tell({ type: 'load' });
  await sleep(WARM_UP_MS);
  phase = 'window';
  tell({ type: 'window' });
  // The machine-wide snapshots read thousands of files: taken outside the measured lag.
  const roles = new Map<number, string>([[process.pid, 'lab server (this process)'], ...children.map((c, i) => [c.pid!, `client ${i}`] as const)]);
  const ticksBefore = processTicks(roles);
  const hostsBefore = hostsCpuMs(hostIds);
  const machineCpu = cpuMeter();
  const cpu = process.cpuUsage();
  const gcs = { minor: [] as number[], major: [] as number[] };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      (kind === perf.NODE_PERFORMANCE_GC_MAJOR ? gcs.major : gcs.minor).push(e.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const heapProfile = values['heap-profile'] ? await startHeapSampling() : undefined;
  const windowLag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  windowLag.enable();
  const windowStarted = performance.now();
  const rssSamples: number[] = [];
  const loads: number[] = [];
  const sampler = setInterval(() => {
    rssSamples.push(rss());
    loads.push(loadavg()[0]!);
  }, 1000);
  await sleep(SECONDS * 1000);
  clearInterval(sampler);
  windowLag.disable();
  const windowSeconds = (performance.now() - windowStarted) / 1000;
  if (heapProfile) await heapProfile.stop(values['heap-profile']!);
  gcObserver.disconnect();
  const serverCpu = process.cpuUsage(cpu);
  const machineBusy = machineCpu();
  const windowHostsCores = (hostsCpuMs(hostIds) - hostsBefore) / (windowSeconds * 1000);
  const busiest = topUsers(ticksBefore, processTicks(roles), windowSeconds);
  const allResults = new Promise<void>((resolve) => {
    resultWaiters = [() => results.length === CLIENTS && resolve()];
  });
  phase = 'finish';
  tell({ type: 'finish' });
  await allResults;
  const rssAfter = rss();

  phase = 'report';
  const echo = results.flatMap((r) => r.echo);
  const floodBytes = results.flatMap((r) => r.floodBytes);
  const floodRates = floodBytes.map((b) => b / 1e6 / windowSeconds);
  const totalRate = floodRates.reduce((a, b) => a + b, 0);
  const started = startMs.length;
  console.log('');
  console.log(`sessions started: ${started} of ${SESSIONS}${failures.length ? ` (${failures.length} failed)` : ''}; dropped: ${drops.length}`);
  for (const d of drops) console.log(`  dropped ${d.n} (${isFlood(d.n) ? 'flooding' : 'quiet'}) during ${d.phase}: ${d.reason}`);
  console.log(`host creation: ${started} sessions in ${f(rampSeconds, 0)} s (${f(started / rampSeconds, 2)}/s)`);
  console.log(
    `  POST /api/sessions → answer: ${dist(
      startMs.map((ms) => ms / 1000),
      2,
      's',
    )}`,
  );
  console.log(
    `  POST → first prompt byte:    ${dist(
      promptMs.map((ms) => ms / 1000),
      2,
      's',
    )}`,
  );
  console.log(`  event-loop lag during the ramp: ${lagLine(rampLag)}`);
  console.log(`event-loop lag during the window (${f(windowSeconds, 0)} s): ${lagLine(windowLag)}`);
  console.log(
    `lab hosts' CPU (their cgroups): ${f(idleHostsCores * 100, 1)} % of one core for ${hostIds.length} idle hosts, ${f(windowHostsCores * 100, 0)} % in the window`,
  );
  console.log(
    `server CPU in the window: ${f(((serverCpu.user + serverCpu.system) / 1000 / (windowSeconds * 1000)) * 100, 0)} % of one core; machine ${f(machineBusy * 100, 0)} % busy (all cores)`,
  );
  const gcLine = (d: number[]) =>
    `${d.length} (total ${f(
      d.reduce((a, b) => a + b, 0),
      0,
    )} ms, max ${f(Math.max(0, ...d), 1)} ms)`;
  console.log(`  server GC in the window: major ${gcLine(gcs.major)}, minor and incremental ${gcLine(gcs.minor)}`);
  console.log(`  the busiest processes (by name, summed; % of one core): ${busiest}`);
  console.log(
    `echo (quiet sessions, a key every ${values['key-interval-ms']} ms): ${dist(echo, 2)}; ${results.reduce((a, r) => a + r.lostKeys, 0)} keys without echo`,
  );
  console.log(`flood throughput: ${f(totalRate, 1)} MB/s in all over ${floodRates.length} sessions; per session ${dist(floodRates, 2, 'MB/s')}`);
  const ctrlC = results.flatMap((r) => r.ctrlC);
  console.log(`Ctrl-C of a flood → prompt mark: ${dist(ctrlC, 0)}; ${results.reduce((a, r) => a + r.ctrlCMissing, 0)} without a prompt`);
  console.log(
    `server RSS: ${f(rssIdle, 0)} MiB with no session, ${f(rssSessions, 0)} MiB with ${started} idle sessions (after GC), ` +
      `${f(Math.min(...rssSamples), 0)}–${f(Math.max(...rssSamples), 0)} MiB in the window, ${f(rssAfter, 0)} MiB after`,
  );
  console.log(
    `load average (1 min) in the window: ${f(Math.min(...loads), 1)}–${f(Math.max(...loads), 1)}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const lagOk = lag(windowLag, 99) <= 20;
  const dropOk = drops.length === 0 && started === SESSIONS;
  console.log(`targets: none dropped ${dropOk ? 'MET' : 'MISSED'}; lag p99 ≤ 20 ms ${lagOk ? 'MET' : 'MISSED'}`);

  phase = 'close';
  tell({ type: 'close' });
  const closeBy = performance.now() + 30_000;
  while (closedChildren < CLIENTS && performance.now() < closeBy) await sleep(100);
  process.exitCode = lagOk && dropOk ? 0 : 1;
} catch (err) {
  console.log(`bench failed during ${phase}: ${err instanceof Error ? err.stack : err}`);
  process.exitCode = 2;
} finally {
  if (!interrupted) {
    await cleanUp();
    phase = 'done';
  }
}
