import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { FLOW, LIMITS, PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../shared/protocol.ts';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { NodeSessionClient } from '../verify/node-session-client.ts';

/** Opens a raw socket and reports how the handshake ended. */
function handshake(url: string, protocols: string[], origin?: string): Promise<{ status: number; body: string } | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { origin });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

// The session socket through the real server, with bad input of every kind.
describe('the session socket', { timeout: 120_000 }, () => {
  const lab = testLab({ hosts: ['node1', 'node2'] });
  let app: TestServer;
  let id: string;
  let token: string;
  let socketUrl: string;

  before(async () => {
    app = await startTestServer({ labs: [lab] });
    const started = await app.sessions.start(lab.id, testOwner('socket-test'));
    id = started.session.id;
    token = started.token;
    socketUrl = `${app.url.replace('http', 'ws')}/api/sessions/${id}/ws`;
  });

  after(async () => app?.close());

  test('refuses a foreign origin, a missing subprotocol, an unknown session and a wrong token before the handshake', async () => {
    const good = [PROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
    const foreign = await handshake(socketUrl, good, 'https://evil.example');
    assert.deepEqual(foreign, {
      status: 403,
      body: JSON.stringify({ error: { code: 'DD_ORIGIN_REFUSED', message: 'this page may not open Drydock sessions' } }),
    });
    assert.equal(((await handshake(socketUrl, [TOKEN_PROTOCOL_PREFIX + token])) as { status: number }).status, 400);
    assert.equal(((await handshake(socketUrl.replace(id, 'no-such-session'), good)) as { status: number }).status, 404);
    assert.equal(((await handshake(socketUrl, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + 'guess'])) as { status: number }).status, 404);
    assert.equal(((await handshake(socketUrl, [PROTOCOL])) as { status: number }).status, 401);
    assert.equal(await handshake(socketUrl, good, app.url), 'open', 'the server’s own pages are welcome');
  });

  test('carries every host’s terminal on one socket', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    assert.equal(client.ws.protocol, PROTOCOL);
    await client.waitFor(() => client.text(0).includes('root@node1') && client.text(1).includes('root@node2'), 'both prompts');
    client.input('node2', 'hostname\r');
    await client.waitFor(() => /^node2\r$/m.test(client.text(1)), 'node2 answers');
    assert.doesNotMatch(client.text(0), /^node2\r$/m, 'node1 saw none of it');
    await client.close();
  });

  test('binary input reaches the host byte for byte', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    await client.waitFor(() => client.text(0).includes('root@node1'), 'the prompt');
    // A raw TTY hands the bytes to `head` untouched; `go-2` says it is raw before they are sent.
    client.input('node1', 'stty raw -echo; echo go-$((1+1)); head -c 6 | od -An -tx1 | sed "s/^/read-$((2+2)):/"; stty sane\r');
    await client.waitFor(() => client.text(0).includes('go-2'), 'the raw terminal');
    // An X10 mouse report of a click at column 96 (xterm.js emits it through onBinary), then 0xff.
    client.inputBytes('node1', Uint8Array.of(0x1b, 0x5b, 0x4d, 0x20, 0x80, 0xff));
    await client.waitFor(() => /read-4:.*\n/.test(client.text(0)), 'the bytes the host read');
    assert.equal(/read-4:(.*)\n/.exec(client.text(0))?.[1]?.trim(), '1b 5b 4d 20 80 ff');
    await client.close();
  });

  test('answers malformed, unknown and oversized messages with an error, and keeps working', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    const errors = () => client.of('error');
    client.ws.send('{not json');
    client.ws.send(JSON.stringify({ type: 'launch-missiles' }));
    client.ws.send(JSON.stringify({ type: 'input', host: 'node1' }));
    client.ws.send(JSON.stringify({ type: 'input', host: 'node9', data: 'x' }));
    client.ws.send(JSON.stringify({ type: 'resize', host: 'node1', cols: -1, rows: 5 }));
    client.ws.send(Buffer.from([1, 2, 3]));
    client.ws.send('x'.repeat(LIMITS.messageBytes + 1));
    await client.waitFor(() => errors().length === 7, 'seven errors');
    assert.deepEqual(
      errors().map((e) => e.code),
      [
        'DD_PROTOCOL_INVALID',
        'DD_PROTOCOL_INVALID',
        'DD_PROTOCOL_INVALID',
        'DD_HOST_UNKNOWN',
        'DD_PROTOCOL_INVALID',
        'DD_PROTOCOL_INVALID',
        'DD_PROTOCOL_TOO_LARGE',
      ],
    );
    assert.match(errors()[2]!.message, /at data/, 'says which field is wrong');
    client.input('node1', 'echo still-$((40+2))\r');
    await client.waitFor(() => client.text(0).includes('still-42'), 'the terminal still works');
    await client.close();
  });

  test('a frame above the hard limit closes only that connection', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    client.ws.send('y'.repeat(LIMITS.frameBytes + 1));
    await client.waitFor(() => client.closed !== undefined, 'the close');
    assert.equal(client.closed?.code, 1009, 'message too big');
    const next = await NodeSessionClient.connect(app.url, id, token);
    next.input('node1', 'echo alive\r');
    await next.waitFor(() => next.text(0).includes('alive'), 'a new connection works');
    await next.close();
  });

  test('a client that keeps breaking the protocol is cut off', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    for (let i = 0; i < 100; i++) client.ws.send('nope');
    await client.waitFor(() => client.closed !== undefined, 'the close');
    assert.equal(client.closed?.code, 1008);
  });

  test('output stops at the high mark until the browser acknowledges it', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token, { autoAck: false, keepOutput: false });
    await client.waitFor(() => client.of('attached').length === 2, 'attached');
    client.input('node1', 'yes socket-flood\r');
    await sleep(1_500);
    const stalled = client.received[0] ?? 0;
    assert.ok(stalled <= FLOW.highBytes + 64 * 1024 + 64 * 1024, `received ${stalled} bytes without acknowledging`);
    client.send({ type: 'ack', host: 'node1', bytes: stalled });
    await client.waitFor(() => (client.received[0] ?? 0) > stalled + FLOW.lowBytes, 'more output after the acknowledgement');
    client.input('node1', '\x03');
    await client.close();
  });

  test('a paste flood into a program that does not read is dropped past a bound, said once, and the shell recovers', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    await client.waitFor(() => client.of('attached').length === 2, 'attached');
    // The program reads nothing for a while, then swallows whatever got through.
    client.input('node1', 'sleep 4; timeout 5 cat >/dev/null; echo woke-$((6*7))\r');
    const line = 'flood-line-padding-padding-padding-padding-padding-padding-padding\r'.repeat(240); // under LIMITS.inputChars
    for (let i = 0; i < 600; i++) client.input('node1', line); // about 10 MB
    await client.waitFor(() => client.of('error').length > 0, 'the refusal');
    await sleep(1_000);
    assert.deepEqual(
      client.of('error').map((e) => e.code),
      ['DD_INPUT_BACKLOG'],
      'refused once, not once per message',
    );
    assert.match(client.of('error')[0]!.message, /^node1 is not reading what you type \(\d+ KiB are waiting\)/);
    await client.waitFor(() => client.text(0).includes('woke-42'), 'the command to finish', 60_000);
    client.input('node1', 'clear; echo after-$((40+2))\r');
    await client.waitFor(() => client.text(0).includes('after-42'), 'the shell takes input again', 60_000);
    await client.close();
  });

  test('a second tab takes the session over; the first is told why', async () => {
    const first = await NodeSessionClient.connect(app.url, id, token);
    const second = await NodeSessionClient.connect(app.url, id, token);
    await first.waitFor(() => first.closed !== undefined, 'the first socket to close');
    assert.deepEqual(first.of('ended'), [{ type: 'ended', reason: 'replaced' }]);
    assert.equal(first.closed?.code, 1000);
    await second.close();
  });

  test('ending the session tells the browser and closes the socket', async () => {
    const client = await NodeSessionClient.connect(app.url, id, token);
    await app.sessions.authorize(id, token).end('expired');
    await client.waitFor(() => client.closed !== undefined, 'the close');
    assert.deepEqual(client.of('ended'), [{ type: 'ended', reason: 'expired' }]);
    assert.deepEqual(
      client
        .of('session')
        .at(-1)
        ?.session.hosts.map((h) => h.state),
      ['gone', 'gone'],
    );
    assert.equal(((await handshake(socketUrl, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + token])) as { status: number }).status, 404);
  });
});
