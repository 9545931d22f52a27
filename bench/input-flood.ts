/**
 * `npm run bench:input-flood`: one learner's socket floods the server with one-key input
 * messages (server/test-support/input-flooder.ts: `{"type":"input","host":"node1","data":"a"}`
 * in a tight loop from another process, pausing only above 4 MB unsent). The real lab server runs
 * in this process with two sessions; meanwhile the other session types a key every 40 ms and
 * times its echo, and /readyz is requested every 50 ms.
 *
 * Reports, per run and as medians over runs: /readyz p50/p90/max and the quiet session's echo
 * p50/p99, first with no flood, then during it; and how the flooder's sockets ended.
 * Options: --seconds N (flood length, default 7), --runs N (default 3), --connections N (the
 * flooder reconnects after a close, up to N connections; default 1).
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, testOwner } from '../server/test-support/test-server.ts';
import { testLab } from '../server/test-support/test-lab.ts';
import { measureEcho } from '../server/test-support/echo-probe.ts';
import { floodInput, type FloodReport } from '../server/test-support/input-flooder.ts';
import { sampleReadyz } from '../server/test-support/readyz-probe.ts';
import { NodeSessionClient } from '../server/verify/node-session-client.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '7' }, runs: { type: 'string', default: '3' }, connections: { type: 'string', default: '1' } },
});
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const CONNECTIONS = Number(values.connections);
const ECHO_INTERVAL_MS = 40;

interface Window {
  readyz: { p50: number; p90: number; max: number };
  echo: { p50: number; p99: number; unmatched: number };
}
interface Run {
  quiet: Window;
  flood: Window;
  flooder: FloodReport;
}

async function measure(app: { url: string }, quiet: NodeSessionClient, durationMs: number): Promise<Window> {
  const keys = Math.floor(durationMs / ECHO_INTERVAL_MS);
  const [readyz, echo] = await Promise.all([
    sampleReadyz(app.url, { durationMs }),
    measureEcho(quiet, 'node1', { keys, intervalMs: ECHO_INTERVAL_MS }),
  ]);
  return {
    readyz: { p50: percentile(readyz, 50), p90: percentile(readyz, 90), max: Math.max(...readyz) },
    echo: { p50: percentile(echo.echo, 50), p99: percentile(echo.echo, 99), unmatched: echo.unmatched },
  };
}

async function oneRun(): Promise<Run> {
  const lab = testLab({ id: 'input-flood', hosts: ['node1'] });
  const app = await startTestServer({ labs: [lab], policy: { limits: { perLearner: 2, perAddress: 60, total: 2 } } });
  try {
    const noisy = await app.sessions.start(lab.id, testOwner('noisy'));
    const started = await app.sessions.start(lab.id, testOwner('quiet'));
    const quiet = await NodeSessionClient.connect(app.url, started.session.id, started.token, { keepOutput: false });
    await quiet.waitFor(() => quiet.of('attached').length === 1, 'the terminal');
    await sleep(500);
    const quietWindow = await measure(app, quiet, (SECONDS - 1) * 1000);
    const flooding = floodInput(app.url, noisy.session.id, noisy.token, { seconds: SECONDS, maxConnections: CONNECTIONS });
    await flooding.started;
    const floodWindow = await measure(app, quiet, (SECONDS - 1) * 1000);
    const flooder = await flooding.done;
    await quiet.close();
    return { quiet: quietWindow, flood: floodWindow, flooder };
  } finally {
    await app.close();
  }
}

const median = (xs: number[]) => percentile(xs, 50);
const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
const line = (w: Window) =>
  `readyz p50 ${f(w.readyz.p50)} / p90 ${f(w.readyz.p90)} / max ${f(w.readyz.max)} ms; echo p50 ${f(w.echo.p50)} / p99 ${f(w.echo.p99)} ms (${w.echo.unmatched} unmatched)`;

const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = await oneRun();
  runs.push(run);
  console.log(`run ${i + 1}: quiet  ${line(run.quiet)}`);
  console.log(`run ${i + 1}: flood  ${line(run.flood)}`);
  const closes = run.flooder.closes.map((c) => `${c.code} "${c.reason}" at ${c.atMs} ms`);
  console.log(
    `run ${i + 1}: flooder sent ${run.flooder.sent} messages on ${run.flooder.connections} connection(s); closes: ${closes.join(', ') || 'none'}; errors: ${run.flooder.errors.join(', ') || 'none'}`,
  );
}
const pick = (get: (r: Run) => number) => f(median(runs.map(get)));
console.log(`\nmedians over ${RUNS} runs (flood ${SECONDS} s, ${CONNECTIONS} connection(s)):`);
for (const phase of ['quiet', 'flood'] as const) {
  console.log(
    `${phase.padEnd(6)} readyz p50 ${pick((r) => r[phase].readyz.p50)} / p90 ${pick((r) => r[phase].readyz.p90)} / max ${pick((r) => r[phase].readyz.max)} ms; ` +
      `echo p50 ${pick((r) => r[phase].echo.p50)} / p99 ${pick((r) => r[phase].echo.p99)} ms`,
  );
}
console.log(
  `echo p99 ratio flood/quiet: ${median(runs.map((r) => r.flood.echo.p99 / r.quiet.echo.p99)).toFixed(2)}; messages sent: ${median(runs.map((r) => r.flooder.sent))}`,
);
