import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLOW } from '../../shared/protocol.ts';
import { createLogger } from '../logging/logger.ts';
import { connectDocker } from '../sandbox/docker-client.ts';
import type { DockerSandbox } from '../sandbox/docker-sandbox.ts';
import { ownedResources, startTestSandbox, testConfig } from '../test-support/sandbox.ts';
import type { LabSession } from './lab-session.ts';
import { SessionManager } from './session-manager.ts';
import { RecordingClient } from '../test-support/recording-client.ts';
import { testLab } from '../test-support/test-lab.ts';
import { testOwner } from '../test-support/test-server.ts';

// Integration tests: sessions over a real engine and real shells, without HTTP in between.
describe('sessions on the real engine', { timeout: 180_000 }, () => {
  const config = testConfig();
  const lab = testLab({ hosts: ['node1'] });
  let sandbox: DockerSandbox;
  let sessions: SessionManager;
  let session: LabSession;
  let token: string;

  before(async () => {
    sandbox = await startTestSandbox(config);
    sessions = new SessionManager({
      sandbox,
      labs: { get: (id) => (id === lab.id ? lab : undefined) },
      policy: {
        lifetime: { initialMs: 60_000, extendMs: 60_000, maxMs: 120_000, idleMs: 1_500 },
        limits: { perLearner: 1, perAddress: 60, total: 2 },
        replayBytes: 64 * 1024,
        sweepMs: 100,
        checkIntervalMs: 60_000,
      },
      log: createLogger('silent'),
    });
    ({ session, token } = await sessions.start(lab.id, testOwner('learner-a')));
  });

  after(async () => {
    await sessions?.close();
    await sandbox?.close();
  });

  test('a browser gets the prompt, types, and sees output with colours and UTF-8 intact', async () => {
    const client = new RecordingClient();
    session.connect(client);
    assert.equal(client.messages[0]?.type, 'session');
    assert.deepEqual(client.of('attached'), [{ type: 'attached', host: 'node1', index: 0 }]);
    await client.until(() => client.text().includes('root@node1'), 'the prompt');
    assert.match(client.text(), /\x1b\[1;32mroot@node1/, 'the prompt is coloured');
    session.handle(client, { type: 'resize', host: 'node1', cols: 101, rows: 33 });
    await sleep(200); // the resize is an Engine API call of its own; input does not wait for it
    session.handle(client, { type: 'input', host: 'node1', data: "stty size; printf 'h\\xc3\\xa9 \\xe2\\x9c\\x93\\n'; echo $((6*7))\r" });
    await client.until(() => /^42\r?$/m.test(client.text()), 'the output');
    assert.match(client.text(), /^33 101\r$/m, 'resize reached the TTY');
    assert.match(client.text(), /^hé ✓\r$/m);
    await client.until(() => client.of('commandFinished').length > 0, 'the command-finished mark');
    assert.deepEqual(client.of('commandFinished').at(-1), { type: 'commandFinished', host: 'node1', exitCode: 0 });
    session.disconnect(client);
  });

  test('a reconnecting browser finds the same shell with its recent output', async () => {
    const first = new RecordingClient();
    session.connect(first);
    session.handle(first, { type: 'input', host: 'node1', data: 'echo shell-pid=$$; sleep 300 &\r' });
    await first.until(() => /shell-pid=\d+/.test(first.text()), 'the pid');
    const pid = /shell-pid=(\d+)/.exec(first.text())![1];
    const second = new RecordingClient();
    session.connect(second);
    assert.deepEqual(first.messages.at(-1), { type: 'ended', reason: 'replaced' }, 'the older tab is told');
    await second.until(() => second.text().includes(`shell-pid=${pid}`), 'the replayed output');
    session.handle(first, { type: 'input', host: 'node1', data: 'echo from-the-old-tab\r' });
    session.handle(second, { type: 'input', host: 'node1', data: 'echo again=$$ jobs=$(jobs | wc -l)\r' });
    await second.until(() => second.text().includes(`again=${pid} jobs=1`), 'the same shell, job still running');
    assert.doesNotMatch(second.text(), /from-the-old-tab/, 'a replaced tab can no longer type');
    session.disconnect(second);
  });

  test('a flood waits in the host while the browser is behind, and Ctrl-C stops it at once', async () => {
    const client = new RecordingClient();
    let received = 0;
    let acking = false;
    client.onOutput = (_, data) => {
      received += data.length;
      if (acking) session.handle(client, { type: 'ack', host: 'node1', bytes: data.length });
    };
    session.connect(client);
    await client.until(() => client.text().includes('root@node1'), 'the prompt');
    // A browser that parses nothing: the server holds at most the high mark plus one batch.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    session.handle(client, { type: 'input', host: 'node1', data: 'yes drydock-flood\r' });
    await sleep(2_000);
    const stalled = received;
    await sleep(500);
    assert.equal(received, stalled, 'nothing more is sent until the browser acknowledges');
    assert.ok(stalled <= FLOW.highBytes + 64 * 1024 + 4096, `sent ${stalled} bytes without acknowledgement`);
    const grown = process.memoryUsage().rss - rssBefore;
    assert.ok(grown < 8 * 1024 * 1024, `server RSS grew by ${(grown / 1048576).toFixed(1)} MiB`);
    // The browser catches up: the flood runs at full speed, then Ctrl-C.
    acking = true;
    session.handle(client, { type: 'ack', host: 'node1', bytes: received });
    await sleep(1_000);
    assert.ok(received > stalled + 5_000_000, `the flood resumed (${received - stalled} more bytes)`);
    const finishedBefore = client.of('commandFinished').length;
    const started = performance.now();
    session.handle(client, { type: 'input', host: 'node1', data: '\x03' });
    await client.until(() => client.of('commandFinished').length > finishedBefore, 'the prompt after Ctrl-C', 2_000);
    const tookMs = performance.now() - started;
    assert.equal(client.of('commandFinished').at(-1)?.exitCode, 130);
    assert.ok(tookMs < 250, `Ctrl-C took ${tookMs.toFixed(0)} ms`);
    session.disconnect(client);
  });

  test('limits: one session per client here, with a message that says so', async () => {
    await assert.rejects(sessions.start(lab.id, testOwner('learner-a')), { code: 'DD_SESSION_LIMIT' });
    await assert.rejects(sessions.start('no-such-lab', testOwner('learner-b')), { code: 'DD_LAB_NOT_FOUND' });
  });

  test('only the right token opens a session', () => {
    assert.equal(sessions.authorize(session.id, token), session);
    assert.throws(() => sessions.authorize(session.id, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), { code: 'DD_SESSION_NOT_FOUND' });
    assert.throws(() => sessions.authorize('nope', token), { code: 'DD_SESSION_NOT_FOUND' });
    assert.throws(() => sessions.authorize(session.id, undefined), { code: 'DD_SESSION_TOKEN_MISSING' });
  });

  test('extend pushes the deadline out to the limit and no further', () => {
    const before = session.lifetime.expiresAt;
    session.extend();
    assert.equal(session.lifetime.expiresAt, Math.min(before + 60_000, session.lifetime.maxExpiresAt));
    while (session.lifetime.expiresAt < session.lifetime.maxExpiresAt) session.extend();
    assert.throws(() => session.extend(), { code: 'DD_SESSION_EXTEND_LIMIT' });
  });

  test('reset gives fresh hosts under the same session, and the browser re-attaches', async () => {
    const client = new RecordingClient();
    session.connect(client);
    const oldContainer = session.hosts.hosts[0]!.containerId;
    client.clearOutput();
    await session.reset();
    assert.notEqual(session.hosts.hosts[0]!.containerId, oldContainer);
    assert.deepEqual(
      client.of('session').map((m) => m.session.state),
      ['ready', 'resetting', 'ready'],
    );
    assert.equal(client.of('attached').length, 2, 'attached again after the reset');
    await client.until(() => client.text().includes('root@node1'), `a fresh prompt (messages: ${JSON.stringify(client.messages.slice(-6))})`);
    const docker = connectDocker(config.dockerHost);
    await assert.rejects(docker.getContainer(oldContainer).inspect(), { statusCode: 404 });
    session.disconnect(client);
  });

  test('a session nobody is attached to ends when idle, and its hosts are removed', async () => {
    const containerId = session.hosts.hosts[0]!.containerId;
    const client = new RecordingClient();
    session.connect(client);
    await sleep(2_000);
    assert.equal(session.isEnded, false, 'an attached browser keeps the session alive');
    session.disconnect(client);
    const late = new RecordingClient();
    for (let i = 0; i < 60 && !session.isEnded; i++) await sleep(100);
    assert.equal(session.isEnded, true);
    assert.equal(session.view().endReason, 'idle');
    await session.end('ended'); // the same ending, already under way: wait for the hosts to go
    await assert.rejects(connectDocker(config.dockerHost).getContainer(containerId).inspect(), { statusCode: 404 });
    session.connect(late);
    assert.deepEqual(late.messages, [{ type: 'ended', reason: 'idle' }]);
    assert.throws(() => sessions.authorize(session.id, token), { code: 'DD_SESSION_NOT_FOUND' });
  });

  test('ending frees the place and leaves nothing behind', async () => {
    const next = await sessions.start(lab.id, testOwner('learner-a'));
    await next.session.end('ended');
    assert.equal(sessions.count, 0);
    await sessions.close();
    await sandbox.close();
    assert.deepEqual(await ownedResources(config), []);
  });
});
