/**
 * The live class view under a class of 300 (`npm run bench:class-feed`): how soon a learner's step
 * change reaches instructors' event streams, what the feeds cost the server in CPU, and what
 * recording a first pass costs in the real SQLite store.
 *
 * The server runs in a child process (bench/class-feed-server.ts) so its CPU is measured alone;
 * its 300 sessions have stand-in lab hosts (no 300 real hosts on this machine): a step change is
 * the "command finished" mark arriving in the session's terminal, and from there it takes the
 * real path. Each phase drives one step change per learner at a steady rate with 0, 1 or 10
 * instructors' event streams open; the feeds' CPU is the phase's CPU minus the 0-listener phase's.
 */
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { ClassFeedEvent } from '../shared/classroom.ts';
import { ClassFeedReader, CookieClient } from '../server/test-support/classroom-client.ts';
import { BENCH_SECRET, type FromServer, type ToServer } from './class-feed-protocol.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '300' },
    rate: { type: 'string', default: '50' },
    listeners: { type: 'string', default: '0,1,10' },
  },
});
const learnerCount = Number(values.learners);
const rate = Number(values.rate);
const phases = values.listeners.split(',').map(Number);

const child = fork(new URL('./class-feed-server.ts', import.meta.url), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, BENCH_LEARNERS: String(learnerCount), BENCH_STEPS: String(phases.length + 1) },
});
const inbox: FromServer[] = [];
child.on('message', (m: FromServer) => inbox.push(m));
let closing = false;
child.on('exit', (code) => {
  if (closing) return;
  console.error(`the bench server exited (${code}) before the end`);
  process.exit(1);
});

async function receive<T extends FromServer['type']>(type: T, timeoutMs = 600_000): Promise<Extract<FromServer, { type: T }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = inbox.findIndex((m) => m.type === type);
    if (at >= 0) return inbox.splice(at, 1)[0] as Extract<FromServer, { type: T }>;
    if (Date.now() > deadline) throw new Error(`no ${type} from the bench server`);
    await sleep(5);
  }
}
const tell = (m: ToServer) => child.send(m);
async function cpuMicros(): Promise<number> {
  tell({ type: 'cpu' });
  return (await receive('cpu')).micros;
}

const ready = await receive('ready');
console.log(`bench server up at ${ready.url}: ${learnerCount} learners, each with a running session (stand-in hosts)`);
const instructor = new CookieClient(ready.url);
const signedIn = await instructor.request('POST', '/api/instructor/sign-in', { secret: BENCH_SECRET });
if (signedIn.status !== 204) throw new Error(`sign-in failed: ${signedIn.text}`);

const results: { listeners: number; latencies: number[]; cpuMsPerSecond: number; seconds: number }[] = [];
for (const listenerCount of phases) {
  const readers = await Promise.all(Array.from({ length: listenerCount }, () => ClassFeedReader.open(instructor, ready.classId)));
  for (const r of readers) await r.next((e) => e.type === 'snapshot', 'the snapshot', 60_000);
  await sleep(4_000); // the previous phase's follow-up checks (1 s and 3 s after a command) die down
  const cpu0 = await cpuMicros();
  const start = performance.now();
  const driven: { learner: number; stepIndex: number; at: number }[] = [];
  for (let i = 0; i < learnerCount; i++) {
    const due = start + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    tell({ type: 'step', learner: i });
  }
  for (let i = 0; i < learnerCount; i++) driven.push(await receive('driven'));
  const rowFor = (d: (typeof driven)[number]) => (e: ClassFeedEvent) =>
    e.type === 'row' && e.row.learnerId === ready.learners[d.learner] && e.row.stepIndex === d.stepIndex;
  for (const r of readers) for (const d of driven) await r.next(rowFor(d), `learner ${d.learner} on step ${d.stepIndex + 1}`, 30_000);
  const seconds = (performance.now() - start) / 1000;
  const cpu = (await cpuMicros()) - cpu0;
  const latencies = readers.flatMap((r) => driven.map((d) => performance.timeOrigin + r.events.find((e) => rowFor(d)(e.event))!.at - d.at));
  results.push({ listeners: listenerCount, latencies, cpuMsPerSecond: cpu / 1000 / seconds, seconds });
  for (const r of readers) r.close();
  const line = latencies.length
    ? `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; `
    : '';
  console.log(
    `${listenerCount} listener(s): ${learnerCount} step changes in ${seconds.toFixed(1)} s; ${line}server CPU ${(cpu / 1000 / seconds).toFixed(1)} ms per second`,
  );
}

tell({ type: 'writes' });
const writes = (await receive('writes')).ms;
const base = results.find((r) => r.listeners === 0);
console.log('\n| listeners | step changes | row latency p50 / p95 / max | server CPU per second | feed CPU per listener per second |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  const latency = r.latencies.length
    ? `${percentile(r.latencies, 50).toFixed(1)} / ${percentile(r.latencies, 95).toFixed(1)} / ${Math.max(...r.latencies).toFixed(1)} ms`
    : '—';
  const perListener = base && r.listeners > 0 ? `${((r.cpuMsPerSecond - base.cpuMsPerSecond) / r.listeners).toFixed(2)} ms` : '—';
  console.log(`| ${r.listeners} | ${learnerCount} at ${rate}/s | ${latency} | ${r.cpuMsPerSecond.toFixed(1)} ms | ${perListener} |`);
}
console.log(
  `\nfirst-pass writes to SQLite: ${writes.length}, p50 ${percentile(writes, 50).toFixed(3)} ms, p95 ${percentile(writes, 95).toFixed(3)} ms, max ${Math.max(...writes).toFixed(3)} ms`,
);
closing = true;
tell({ type: 'close' });
await new Promise((resolve) => child.once('exit', resolve));
