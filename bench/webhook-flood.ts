/**
 * `npm run bench:webhooks`: the worst one learner can do to the server's memory through the
 * webhook receiver. The real lab server runs in this process with two sessions; from the noisy
 * session's lab host, curl posts a maximal notification (--payload, below) --posts times as fast
 * as it can, to the same $DRYDOCK_HOOKS_URL a learner's registry uses. Meanwhile the quiet
 * session types a key every 50 ms and times its echo.
 *
 * Reports: the answers the receiver gave, the bytes of events the server kept, and the server's
 * RSS and heap (after gc) before and after the flood. Options: --posts N (default 200),
 * --runs N (default 3; medians are reported), --payload padded|accepted (default padded).
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer, testOwner } from '../server/test-support/test-server.ts';
import { testLab } from '../server/test-support/test-lab.ts';
import { measureEcho } from '../server/test-support/echo-probe.ts';
import { sh } from '../server/test-support/sandbox.ts';
import { NodeSessionClient } from '../server/verify/node-session-client.ts';
import { percentile } from './stats.ts';

/**
 * Bash that writes the payload to /tmp/flood.json inside the host (no node there). `padded`: one
 * push event with 85,000 extra keys, about 0.9 MB (what the receiver took before issue 11).
 * `accepted`: the costliest envelope the bounded receiver takes, just under 64 KiB: 14 events
 * with their free-text fields at the 2,048-character cap, and extra keys to fill.
 */
const PAYLOADS = {
  padded:
    `{ printf '{"events":[{"action":"push","target":{"repository":"flood","tag":"latest","digest":"sha256:00"}'; ` +
    `seq 85000 | sed 's/.*/,"k&":1/' | tr -d '\\n'; printf '}]}'; } > /tmp/flood.json && stat -c %s /tmp/flood.json`,
  accepted:
    `long=$(head -c 2000 /dev/zero | tr '\\0' u); { printf '{"events":['; for i in $(seq 14); do [ $i -gt 1 ] && printf ','; ` +
    `printf '{"action":"push","request":{"useragent":"%s"},"target":{"repository":"flood","tag":"t%s","url":"%s"}}' $long $i $long; done; ` +
    `printf ']'; seq 700 | sed 's/.*/,"k&":1/' | tr -d '\\n'; printf '}'; } > /tmp/flood.json && stat -c %s /tmp/flood.json`,
};

const { values } = parseArgs({
  options: { posts: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' }, payload: { type: 'string', default: 'padded' } },
});
const MAKE_PAYLOAD = PAYLOADS[values.payload as keyof typeof PAYLOADS];
if (!MAKE_PAYLOAD) throw new Error(`--payload is one of: ${Object.keys(PAYLOADS).join(', ')}`);
const POSTS = Number(values.posts);
const RUNS = Number(values.runs);
const MB = 1e6;

const FLOOD = (posts: number) =>
  `. /etc/profile.d/drydock-hooks.sh; for i in $(seq ${posts}); do curl -s -o /dev/null -w '%{http_code}\\n' -H 'content-type: application/json' ` +
  `--data-binary @/tmp/flood.json "$DRYDOCK_HOOKS_URL"; done | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}'`;

function settle(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) global.gc?.();
  return process.memoryUsage();
}

interface Run {
  payloadBytes: number;
  answers: string;
  floodSeconds: number;
  keptBytes: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  echoBaseline: number;
  echoDuring: number;
  echoDuringP99: number;
}

async function oneRun(): Promise<Run> {
  const lab = testLab({ id: 'webhook-flood', hosts: ['node1'] });
  const app: TestServer = await startTestServer({ labs: [lab], policy: { limits: { perLearner: 2, perAddress: 60, total: 2 } } });
  try {
    const noisy = await app.sessions.start(lab.id, testOwner('noisy'));
    const host = app.sessions.authorize(noisy.session.id, noisy.token).hosts.host('node1');
    const hostsId = app.sessions.authorize(noisy.session.id, noisy.token).hosts.id;
    const quietStart = await app.sessions.start(lab.id, testOwner('quiet'));
    const quiet = await NodeSessionClient.connect(app.url, quietStart.session.id, quietStart.token, { keepOutput: false });
    await quiet.waitFor(() => quiet.of('attached').length === 1, 'the terminal');
    await sleep(500);
    const payloadBytes = Number((await sh(host, MAKE_PAYLOAD)).trim());
    const baseline = await measureEcho(quiet, 'node1', { keys: 60, intervalMs: 50 });

    const before = settle();
    const startedAt = performance.now();
    const flood = sh(host, FLOOD(POSTS)).then((answers) => ({ answers, seconds: (performance.now() - startedAt) / 1000 }));
    await sleep(300);
    const during = await measureEcho(quiet, 'node1', { keys: 60, intervalMs: 50 });
    const { answers, seconds } = await flood;
    const after = settle();
    const kept = app.hooks.events(hostsId).reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0);
    await quiet.close();
    return {
      payloadBytes,
      answers: answers.trim(),
      floodSeconds: seconds,
      keptBytes: kept,
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
      echoBaseline: percentile(baseline.echo, 50),
      echoDuring: percentile(during.echo, 50),
      echoDuringP99: percentile(during.echo, 99),
    };
  } finally {
    await app.close();
  }
}

if (!global.gc) throw new Error('run with --expose-gc (npm run bench:webhooks does)');
const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = await oneRun();
  runs.push(run);
  console.log(
    `run ${i + 1}: ${POSTS} posts of ${(run.payloadBytes / MB).toFixed(2)} MB in ${run.floodSeconds.toFixed(1)} s, answers ${run.answers}; ` +
      `kept ${(run.keptBytes / MB).toFixed(3)} MB of events; RSS ${(run.rssBefore / MB).toFixed(0)} → ${(run.rssAfter / MB).toFixed(0)} MB, ` +
      `heap ${(run.heapBefore / MB).toFixed(0)} → ${(run.heapAfter / MB).toFixed(0)} MB; other session's echo p50 ` +
      `${run.echoBaseline.toFixed(1)} ms before, ${run.echoDuring.toFixed(1)} ms (p99 ${run.echoDuringP99.toFixed(1)}) during`,
  );
}
const median = (pick: (r: Run) => number) => percentile(runs.map(pick), 50);
console.log(
  `median of ${RUNS}: kept ${(median((r) => r.keptBytes) / MB).toFixed(3)} MB; RSS growth ${(median((r) => r.rssAfter - r.rssBefore) / MB).toFixed(0)} MB; ` +
    `heap growth ${(median((r) => r.heapAfter - r.heapBefore) / MB).toFixed(1)} MB; flood ${median((r) => r.floodSeconds).toFixed(1)} s; ` +
    `echo p50 ${median((r) => r.echoBaseline).toFixed(1)} → ${median((r) => r.echoDuring).toFixed(1)} ms, p99 during ${median((r) => r.echoDuringP99).toFixed(1)} ms`,
);
