import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLOW, PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../shared/protocol.ts';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { Rng, fuzzSeed, replayable } from '../test-support/fuzz-input.ts';
import { badFrameCases, clientMessageCase, countsTowardsCutOff, type MessageCase } from '../test-support/fuzz-messages.ts';
import { OPCODE, RawWebSocket, encodeFrame } from '../test-support/raw-websocket.ts';
import { NodeSessionClient } from '../verify/node-session-client.ts';
import { SOCKET_BUDGET } from './message-budget.ts';

/** Generated messages in all; each connection takes about 120 before the cut-off. */
const MESSAGES = 3600;
/** The server's cut-off (MAX_PROTOCOL_ERRORS in ws-session-client.ts). */
const CUT_OFF = 100;
/** Output an honest client may have unread per host: the flow window, one batch, the replay. */
const FLOW_BOUND = FLOW.highBytes + 2 * 64 * 1024;
/** What the server lets a client that acknowledges without reading pile up (2 × the window per host), one more frame, and the close frame. */
const BACKLOG_BOUND = 2 * FLOW.highBytes + 64 * 1024 + 1024;
const seed = fuzzSeed();

interface Session {
  id: string;
  token: string;
}

/** Frames for a run of cases: some split into fragments (anywhere, mid-character too), with pings between. */
function framesFor(rng: Rng, cases: readonly MessageCase[]): Buffer {
  const frames: Buffer[] = [];
  for (const c of cases) {
    const opcode = c.binary ? OPCODE.binary : OPCODE.text;
    if (!rng.chance(0.2) || c.payload.length < 2) {
      frames.push(encodeFrame(opcode, c.payload));
      continue;
    }
    const cuts = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.int(1, c.payload.length - 1)))].sort((a, b) => a - b);
    const bounds = [0, ...cuts, c.payload.length];
    for (let i = 0; i < bounds.length - 1; i++) {
      if (i > 0 && rng.chance(0.2)) frames.push(encodeFrame(OPCODE.ping, 'are you there'));
      frames.push(
        encodeFrame(i === 0 ? opcode : OPCODE.continuation, c.payload.subarray(bounds[i], bounds[i + 1]), { fin: i === bounds.length - 2 }),
      );
    }
  }
  return Buffer.concat(frames);
}

/** Writes in pieces of random size, so frames arrive split across reads. */
async function writeInPieces(rng: Rng, ws: RawWebSocket, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    const size = rng.chance(0.5) ? rng.int(1, 64) : rng.int(64, 256 * 1024);
    ws.write(bytes.subarray(at, at + size));
    at += size;
    if (rng.chance(0.05)) await sleep(1);
  }
}

const describeCase = (c: MessageCase | undefined) =>
  c ? `${c.kind}${c.binary ? ' (binary)' : ''}: ${c.payload.toString('utf8').slice(0, 160)}` : 'none';

// The session socket of the real server, fed generated garbage; each test says which protection it shows.
describe('the session socket under fuzzing', { timeout: 240_000 }, () => {
  const lab = testLab({ id: 'fuzz-lab', hosts: ['node1'] });
  let app: TestServer;
  let target: Session;
  let bystander: NodeSessionClient;
  let socketUrl: string;
  let protocols: string[];

  /** Another learner's session on the same server: its terminal must keep answering throughout. */
  async function bystanderEchoes(): Promise<void> {
    const n = Math.floor(Math.random() * 1e6);
    bystander.input('node1', `echo bystander-$((${n}+1))\r`);
    await bystander.waitFor(() => bystander.text(0).includes(`bystander-${n + 1}`), 'the other session’s echo', 20_000);
    assert.equal(bystander.closed, undefined, 'the other session’s socket stayed open');
    assert.deepEqual(bystander.of('error'), [], 'the other session got no errors');
  }

  /** The target session’s shell answers on a fresh connection; `variable` is one set in it earlier, to show it is the same shell. */
  async function targetEchoes(variable?: { name: string; value: string }): Promise<void> {
    const client = await NodeSessionClient.connect(app.url, target.id, target.token);
    const probe = variable ? `$${variable.name}` : 'still';
    client.input('node1', `echo "${probe}-$((6*7))"\r`);
    const want = `${variable?.value ?? 'still'}-42`;
    await client.waitFor(() => client.text(0).includes(want), `the terminal to echo ${want}`, 20_000);
    await client.close();
    const health = await fetch(`${app.url}/healthz`);
    assert.equal(health.status, 200, 'the server still serves HTTP');
  }

  async function outputBytesSent(): Promise<number> {
    const metric = await app.metrics.registry.getSingleMetric('drydock_terminal_bytes_total')!.get();
    return metric.values.find((v) => v.labels.direction === 'out')?.value ?? 0;
  }

  /** The server's end of the next connection, to see what it holds for a client. */
  function nextServerSocket(): () => Socket | undefined {
    let socket: Socket | undefined;
    const grab = (_req: unknown, s: Socket) => {
      socket = s;
      app.server.server.off('upgrade', grab);
    };
    app.server.server.on('upgrade', grab);
    return () => socket;
  }

  before(async () => {
    app = await startTestServer({ labs: [lab], config: { headersTimeoutSeconds: 3 } });
    const started = await app.sessions.start(lab.id, testOwner('fuzzer'));
    target = { id: started.session.id, token: started.token };
    const other = await app.sessions.start(lab.id, testOwner('bystander'));
    bystander = await NodeSessionClient.connect(app.url, other.session.id, other.token);
    await bystander.waitFor(() => bystander.text(0).includes('root@node1'), 'the other session’s prompt', 30_000);
    socketUrl = `${app.url.replace('http', 'ws')}/api/sessions/${target.id}/ws`;
    protocols = [PROTOCOL, TOKEN_PROTOCOL_PREFIX + target.token];
  });

  after(async () => {
    await bystander?.close();
    await app?.close();
  });

  test(`thousands of bad messages: one typed error each, a cut-off at the ${CUT_OFF}th protocol error (1008), the shell untouched (parse never throws, strict schemas, 64 KiB limit, binary refused, MAX_PROTOCOL_ERRORS)`, async (t) => {
    await replayable(seed, async () => {
      const rng = new Rng(seed).fork('messages');
      const setup = await NodeSessionClient.connect(app.url, target.id, target.token);
      setup.input('node1', 'FUZZ_MARK=untouched\r');
      await setup.close();
      const startedAt = performance.now();
      let sent = 0;
      let connections = 0;
      const kinds = new Map<string, number>();
      while (sent < MESSAGES) {
        const ws = await RawWebSocket.open(socketUrl, protocols);
        connections++;
        const cases: MessageCase[] = [];
        for (let counted = 0; counted < CUT_OFF - 1;) {
          const c = clientMessageCase(rng, ['node1']);
          cases.push(c);
          kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
          if (countsTowardsCutOff(c.expect)) counted++;
        }
        await writeInPieces(rng, ws, framesFor(rng, cases));
        const answered = cases.filter((c) => c.expect !== undefined);
        // An unknown host does not count towards the cut-off: once its answer is in, every earlier one is.
        ws.send(OPCODE.text, '{"type":"restart","host":"sentinel"}');
        await ws.waitFor(
          () => ws.errors().length >= answered.length + 1 || ws.closeCode !== undefined,
          `${answered.length + 1} errors on connection ${connections}`,
          30_000,
        );
        const codes = ws.errors().map((e) => e.code);
        const expected = [...answered.map((c) => c.expect!), 'DD_HOST_UNKNOWN'];
        const wrong = codes.findIndex((code, i) => code !== expected[i]);
        assert.equal(
          wrong,
          -1,
          `answer ${wrong} on connection ${connections} was ${codes[wrong]}, not ${expected[wrong]}, for ${describeCase(answered[wrong])}`,
        );
        assert.equal(codes.length, expected.length, `one answer per message on connection ${connections}`);
        assert.equal(ws.closeCode, undefined, `connection ${connections} stays open below the cut-off`);
        assert.deepEqual(ws.invalid, [], 'every answer is a protocol message');
        ws.send(OPCODE.text, 'the last straw');
        await ws.waitFor(() => ws.closeCode !== undefined, 'the cut-off');
        assert.equal(ws.closeCode, 1008, 'cut off as a policy violation');
        assert.equal(ws.errors().length, expected.length + 1, 'the last straw was answered too');
        ws.destroy();
        sent += cases.length + 2;
        // Bad messages are answered one by one; a flood is refused before any of them is read
        // (the session's message budget, tested in input-flood.test.ts). Stay at half its rate.
        await sleep(((cases.length + 2) / (SOCKET_BUDGET.messagesPerSecond / 2)) * 1000);
      }
      const seconds = (performance.now() - startedAt) / 1000;
      t.diagnostic(
        `seed ${seed}: ${sent} messages over ${connections} connections in ${seconds.toFixed(1)} s; ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
      await bystanderEchoes();
      await targetEchoes({ name: 'FUZZ_MARK', value: 'untouched' });
    });
  });

  test('frames that break RFC 6455 fail the connection with the close code it names, and nothing else (ws framing checks, maxPayload)', async () => {
    await replayable(seed, async () => {
      const rng = new Rng(seed).fork('frames');
      for (const c of badFrameCases(rng)) {
        const ws = await RawWebSocket.open(socketUrl, protocols);
        await writeInPieces(rng, ws, c.bytes);
        await ws.waitFor(() => ws.closeCode !== undefined || ws.ended, c.label);
        assert.equal(ws.closeCode, c.closeCode, c.label);
        ws.destroy();
      }
      await bystanderEchoes();
      await targetEchoes();
    });
  });

  test('messages written with the handshake, before the server answered it, are taken in order (out of order is not an error)', async () => {
    const frames = [
      '{"type":"ack","host":"node1","bytes":1000}',
      '{"type":"resize","host":"node1","cols":100,"rows":30}',
      '{"type":"restart","host":"node1"}',
      '{"type":"check"}',
      '{"type":"ack","host":"node9","bytes":5}',
      '{"type":"input"',
      '{"type":"input","host":"node1","data":"echo pipelined-$((2+3))\\r"}',
    ].map((text) => encodeFrame(OPCODE.text, text));
    const ws = await RawWebSocket.open(socketUrl, protocols, { after: Buffer.concat(frames) });
    await ws.waitFor(() => ws.output.includes('pipelined-5'), 'the pipelined command’s output');
    assert.deepEqual(
      ws.errors().map((e) => e.code),
      ['DD_HOST_UNKNOWN', 'DD_PROTOCOL_INVALID'],
    );
    ws.destroy();
  });

  test('acknowledging more than was sent buys no credit: a flood still stops at the window (FlowControl clamps at zero)', async () => {
    const client = await NodeSessionClient.connect(app.url, target.id, target.token, { autoAck: false, keepOutput: false });
    await client.waitFor(() => client.of('attached').length === 1, 'attached');
    for (let i = 0; i < 4; i++) client.send({ type: 'ack', host: 'node1', bytes: 64 * 1024 * 1024 });
    client.input('node1', 'yes over-acknowledged\r');
    await sleep(1_500);
    const received = client.received[0] ?? 0;
    assert.ok(received <= FLOW_BOUND, `received ${received} bytes after acknowledging 256 MiB in advance`);
    assert.deepEqual(client.of('error'), []);
    client.send({ type: 'ack', host: 'node1', bytes: received });
    client.input('node1', '\x03');
    await client.close();
    await targetEchoes();
  });

  test('a restart of a live shell is ignored; many restarts of an exited one open one shell (restarts coalesce)', async () => {
    const client = await NodeSessionClient.connect(app.url, target.id, target.token);
    await client.waitFor(() => client.of('attached').length === 1, 'attached');
    client.input('node1', 'RESTART_MARK=kept\r');
    for (let i = 0; i < 5; i++) client.send({ type: 'restart', host: 'node1' });
    client.input('node1', 'echo "$RESTART_MARK-1"\r');
    await client.waitFor(() => client.text(0).includes('kept-1'), 'the same shell');
    client.input('node1', 'exit\r');
    await client.waitFor(() => client.of('exited').length === 1, 'the shell to exit');
    for (let i = 0; i < 20; i++) client.send({ type: 'restart', host: 'node1' });
    await client.waitFor(() => client.of('attached').length >= 2, 'the new shell', 20_000);
    client.input('node1', 'echo "fresh-$RESTART_MARK-$((1+1))"\r');
    await client.waitFor(() => client.text(0).includes('fresh--2'), 'the new shell answers', 20_000);
    // Any further shell the restarts opened would have attached by now.
    await sleep(2_000);
    assert.equal(client.of('attached').length, 2, 'twenty restarts opened one shell');
    assert.deepEqual(client.of('error'), []);
    await client.close();
  });

  test('a client that never reads while its shell floods: the server holds at most the flow window, others keep their echo (flow control)', async (t) => {
    const serverSocket = nextServerSocket();
    const ws = await RawWebSocket.open(socketUrl, protocols);
    await ws.waitFor(() => ws.output.includes('root@node1'), 'the prompt');
    const sentBefore = await outputBytesSent();
    ws.socket.pause();
    ws.send(OPCODE.text, JSON.stringify({ type: 'input', host: 'node1', data: 'yes slow-reader\r' }));
    let most = 0;
    for (const startedAt = performance.now(); performance.now() - startedAt < 2_500;) {
      await sleep(50);
      most = Math.max(most, serverSocket()?.writableLength ?? 0);
    }
    const sent = (await outputBytesSent()) - sentBefore;
    await bystanderEchoes();
    t.diagnostic(`never-reading client: at most ${most} bytes queued in the server, ${sent} bytes of output sent in 2.5 s`);
    assert.ok(most <= FLOW_BOUND, `the server queued ${most} bytes for a client that reads nothing`);
    assert.ok(sent <= FLOW_BOUND, `the server produced ${sent} bytes for a client that acknowledged nothing`);
    ws.destroy();
    await stopFlood();
  });

  test('a client that acknowledges output it never reads is cut off (1008) before its backlog passes the bound (backlog limit)', async (t) => {
    const serverSocket = nextServerSocket();
    const ws = await RawWebSocket.open(socketUrl, protocols);
    await ws.waitFor(() => ws.output.includes('root@node1'), 'the prompt');
    ws.socket.pause();
    ws.send(OPCODE.text, JSON.stringify({ type: 'input', host: 'node1', data: 'yes lying-reader\r' }));
    let most = 0;
    for (const startedAt = performance.now(); performance.now() - startedAt < 2_500;) {
      ws.send(OPCODE.text, JSON.stringify({ type: 'ack', host: 'node1', bytes: 64 * 1024 * 1024 }));
      await sleep(50);
      most = Math.max(most, serverSocket()?.writableLength ?? 0);
    }
    t.diagnostic(`acknowledging, never-reading client: at most ${most} bytes queued in the server`);
    assert.ok(most <= BACKLOG_BOUND, `the server queued ${most} bytes for a client that reads nothing`);
    ws.socket.resume();
    await ws.waitFor(() => ws.closeCode !== undefined, 'the cut-off', 20_000);
    assert.equal(ws.closeCode, 1008);
    ws.destroy();
    await bystanderEchoes();
    await stopFlood();
  });

  test('messages while the session resets are each answered DD_SESSION_BUSY; the fresh hosts answer after', async () => {
    const client = await NodeSessionClient.connect(app.url, target.id, target.token);
    await client.waitFor(() => client.of('attached').length === 1, 'attached');
    const reset = fetch(`${app.url}/api/sessions/${target.id}/reset`, { method: 'POST', headers: { authorization: `Bearer ${target.token}` } });
    await client.waitFor(() => client.of('session').some((m) => m.session.state === 'resetting'), 'the reset to begin');
    client.input('node1', 'echo lost\r');
    client.send({ type: 'resize', host: 'node1', cols: 90, rows: 20 });
    client.send({ type: 'ack', host: 'node1', bytes: 10 });
    client.send({ type: 'restart', host: 'node1' });
    client.ws.send('{"type":"resize"}');
    await client.waitFor(() => client.of('error').length === 5, 'five answers');
    assert.deepEqual(
      client.of('error').map((e) => e.code),
      ['DD_SESSION_BUSY', 'DD_SESSION_BUSY', 'DD_SESSION_BUSY', 'DD_SESSION_BUSY', 'DD_PROTOCOL_INVALID'],
    );
    assert.equal((await reset).status, 200);
    await client.waitFor(() => client.of('attached').length === 2, 'the fresh host’s terminal', 30_000);
    client.input('node1', 'echo reset-$((3*3))\r');
    await client.waitFor(() => client.text(0).includes('reset-9'), 'the fresh shell answers', 20_000);
    await client.close();
  });

  test('a handshake sent byte by byte completes if it arrives in time, and is cut off with 408 if not (headersTimeout)', async () => {
    const slow = await RawWebSocket.open(socketUrl, protocols, { byteDelayMs: 2 });
    await slow.waitFor(() => slow.messages.some((m) => m.type === 'attached'), 'attached');
    slow.destroy();
    const startedAt = performance.now();
    await assert.rejects(RawWebSocket.open(socketUrl, protocols, { byteDelayMs: 100 }), /408 Request Timeout/);
    const seconds = (performance.now() - startedAt) / 1000;
    assert.ok(seconds < 15, `cut off after ${seconds.toFixed(1)} s; the timeout is 3 s`);
    await bystanderEchoes();
  });

  async function stopFlood(): Promise<void> {
    const client = await NodeSessionClient.connect(app.url, target.id, target.token);
    client.input('node1', '\x03');
    client.input('node1', 'echo flood-$((5+5))-over\r');
    await client.waitFor(() => client.text(0).includes('flood-10-over'), 'the flood to stop', 30_000);
    await client.close();
  }
});

describe('a dead connection', { timeout: 60_000 }, () => {
  let app: TestServer;

  before(async () => {
    app = await startTestServer({ labs: [testLab({ id: 'dead-lab' })], config: { socketHeartbeatSeconds: 1 } });
  });

  after(async () => app?.close());

  test('a half-open socket (no reads, no pongs) is dropped within two heartbeats, and the session attaches again (heartbeat)', async () => {
    const started = await app.sessions.start('dead-lab', testOwner('sleeper'));
    const session = app.sessions.authorize(started.session.id, started.token);
    const url = `${app.url.replace('http', 'ws')}/api/sessions/${started.session.id}/ws`;
    const ws = await RawWebSocket.open(url, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + started.token]);
    await ws.waitFor(() => ws.messages.some((m) => m.type === 'attached'), 'attached');
    // A peer that vanished without a FIN: nothing it sends, nothing it reads.
    ws.socket.pause();
    assert.ok(session.isConnected);
    const deadline = Date.now() + 15_000;
    while (session.isConnected && Date.now() < deadline) await sleep(100);
    assert.equal(session.isConnected, false, 'the server let go of the dead connection');
    ws.destroy();
    const client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
    client.input('node1', 'echo back-$((2*4))\r');
    await client.waitFor(() => client.text(0).includes('back-8'), 'the session answers again');
    await client.close();
  });
});
