import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../../bench/stats.ts';
import { LIMITS } from '../../shared/protocol.ts';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { measureEcho } from '../test-support/echo-probe.ts';
import { floodInput } from '../test-support/input-flooder.ts';
import { sampleReadyz } from '../test-support/readyz-probe.ts';
import { sh } from '../test-support/sandbox.ts';
import { NodeSessionClient } from '../verify/node-session-client.ts';

// One learner's socket sends one-key input messages as fast as it can (issue 11): it must be cut
// off, with a reason, before the server's one event loop is its alone; the other learner's
// keystrokes and /readyz must not notice. A person typing or pasting must never meet the limit.
describe('an input flood on one session socket', { timeout: 180_000 }, () => {
  const lab = testLab({ id: 'input-flood', hosts: ['node1'] });
  let app: TestServer;
  let noisy: { id: string; token: string };
  let quiet: NodeSessionClient;
  let quietToken: { id: string; token: string };

  before(async () => {
    app = await startTestServer({ labs: [lab], policy: { limits: { perLearner: 2, perAddress: 60, total: 2 } } });
    const n = await app.sessions.start(lab.id, testOwner('noisy'));
    noisy = { id: n.session.id, token: n.token };
    const q = await app.sessions.start(lab.id, testOwner('quiet'));
    quietToken = { id: q.session.id, token: q.token };
    quiet = await NodeSessionClient.connect(app.url, q.session.id, q.token);
    await quiet.waitFor(() => quiet.of('attached').length === 1 && quiet.text(0).includes('root@node1'), 'the prompt');
    await sleep(500);
  });
  after(async () => {
    await quiet?.close();
    await app?.close();
  });

  const window = async (durationMs: number) => {
    const [readyz, { echo, unmatched }] = await Promise.all([
      sampleReadyz(app.url, { durationMs }),
      measureEcho(quiet, 'node1', { keys: durationMs / 40, intervalMs: 40 }),
    ]);
    assert.equal(unmatched, 0, 'every key echoed');
    return { readyzP50: percentile(readyz, 50), readyzP90: percentile(readyz, 90), echoP99: percentile(echo, 99) };
  };

  test('the flooding socket is closed with a reason; reconnecting gains nothing; others keep their latency', async (t) => {
    const calm = await window(5_000);
    const flooding = floodInput(app.url, noisy.id, noisy.token, { seconds: 6, maxConnections: 50 });
    await flooding.started;
    const during = await window(5_000);
    const report = await flooding.done;
    t.diagnostic(
      `quiet: readyz p50 ${calm.readyzP50.toFixed(1)} / p90 ${calm.readyzP90.toFixed(1)} ms, echo p99 ${calm.echoP99.toFixed(1)} ms; ` +
        `flood: readyz p50 ${during.readyzP50.toFixed(1)} / p90 ${during.readyzP90.toFixed(1)} ms, echo p99 ${during.echoP99.toFixed(1)} ms; ` +
        `flooder: ${report.sent} messages on ${report.connections} connections, first close ${JSON.stringify(report.closes[0])}`,
    );
    const first = report.closes[0]!;
    assert.equal(first.code, 1008, `closed as a policy violation: ${JSON.stringify(report.closes)}`);
    assert.match(first.reason, /^too many messages \(over \d+ messages a second\); reconnect in a few seconds$/);
    assert.ok(first.atMs < 5_000, `closed within 5 s of the flood's start, not at ${first.atMs} ms`);
    // The penalty (5 s) refuses the reconnects before their handshake, so none opens while it runs.
    const reopened = report.opens.filter((at) => at > first.atMs && at < first.atMs + 4_000);
    assert.ok(report.connections > 1, `the flooder tried to reconnect: ${report.connections} connection(s)`);
    assert.deepEqual(reopened, [], `reconnects opened during the penalty after the close at ${first.atMs} ms`);
    // Without the budget the flood took echo p99 from 21 to 758 ms (BENCHMARKS.md). The quiet
    // baseline is a few milliseconds and p99 of 125 keys is nearly their maximum, so one scheduler
    // hiccup on this shared machine triples it: the bound is 3× the baseline, taken as at least 10 ms.
    assert.ok(
      during.echoP99 <= 3 * Math.max(calm.echoP99, 10),
      `echo p99 ${during.echoP99.toFixed(1)} ms during the flood, ${calm.echoP99.toFixed(1)} ms before`,
    );
    assert.ok(
      during.readyzP90 <= 2 * Math.max(calm.readyzP90, 10),
      `/readyz p90 ${during.readyzP90.toFixed(1)} ms during the flood, ${calm.readyzP90.toFixed(1)} ms before`,
    );
  });

  test('a fast typist and a 64 KiB paste never meet the limit, and every byte arrives in order', async () => {
    const host = app.sessions.authorize(quietToken.id, quietToken.token).hosts.host('node1');
    const errorsBefore = quiet.of('error').length;
    quiet.input('node1', 'stty -echo; cat > /tmp/typed\r');
    await sleep(500);
    // 100 keys a second for 4 s, one message each, as autorepeat would send them.
    let typed = '';
    for (let i = 0; i < 400; i++) {
      const key = i % 50 === 49 ? '\r' : String.fromCharCode(97 + (i % 26));
      typed += key;
      quiet.input('node1', key);
      await sleep(10);
    }
    quiet.input('node1', '\x04');
    await sleep(500);
    quiet.input('node1', 'cat > /tmp/pasted\r');
    await sleep(500);
    // A 64 KiB paste of numbered lines, sent as the browser sends it: pieces of LIMITS.inputChars, at once.
    let paste = '';
    for (let i = 0; paste.length < 64 * 1024; i++) paste += `${String(i).padStart(6, '0')} ${'p'.repeat(56)}\r`;
    paste = paste.slice(0, 64 * 1024 - 1) + '\r';
    for (let i = 0; i < paste.length; i += LIMITS.inputChars) quiet.input('node1', paste.slice(i, i + LIMITS.inputChars));
    quiet.input('node1', '\x04');
    quiet.input('node1', 'stty echo; echo pasted-$((40+2))\r');
    await quiet.waitFor(() => quiet.text(0).includes('pasted-42'), 'the paste to finish', 30_000);
    assert.equal(await sh(host, 'cat /tmp/typed'), typed.replaceAll('\r', '\n'), 'every typed key, in order');
    assert.equal(await sh(host, 'cat /tmp/pasted'), paste.replaceAll('\r', '\n'), 'every pasted byte, in order');
    assert.equal(quiet.closed, undefined, 'the socket stayed open');
    assert.deepEqual(quiet.of('error').slice(errorsBefore), [], 'no error');
  });
});
