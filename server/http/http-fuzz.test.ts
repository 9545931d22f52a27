import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { DrydockErrorCode } from '../errors/drydock-error.ts';
import { testLab } from '../test-support/test-lab.ts';
import { Rng, fuzzSeed, replayable } from '../test-support/fuzz-input.ts';
import { httpRequestCase, type RequestCase } from '../test-support/fuzz-requests.ts';
import { exchange, type RawResponse } from '../test-support/raw-http.ts';
import { NodeSessionClient, startLabSession } from '../verify/node-session-client.ts';
import { statusOf } from '../errors/error-status.ts';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';

const REQUESTS = 3000;
/** Connections in flight at once: enough to overlap, few enough for two shared cores. */
const PARALLEL = 4;
const HEADERS_TIMEOUT_S = 2;
/** Well above the headers timeout, so a cut-off by one is not mistaken for the other. */
const REQUEST_TIMEOUT_S = 8;
/** Every code a refusal may carry here; anything else (DD_INTERNAL above all) is a finding. */
const KNOWN_CODES = new Set<DrydockErrorCode>([
  'DD_BAD_REQUEST',
  'DD_ROUTE_NOT_FOUND',
  'DD_LAB_NOT_FOUND',
  'DD_SESSION_NOT_FOUND',
  'DD_SESSION_TOKEN_MISSING',
  'DD_SESSION_EXTEND_LIMIT',
  'DD_HOST_UNKNOWN',
  'DD_ORIGIN_REFUSED',
  'DD_CROSS_SITE',
  'DD_COOKIE_CONFLICT',
  'DD_PORT_MOVED',
  'DD_PROTOCOL_INVALID',
  'DD_PROTOCOL_TOO_LARGE',
  'DD_HEADERS_TOO_LARGE',
  'DD_REQUEST_TIMEOUT',
]);
/** A file beside the web root: no path may reach it. */
const SECRET = 'drydock-fuzz-secret-4c1d';
const seed = fuzzSeed();

/** What is wrong with one answer, or undefined when it is a proper one. */
function problemWith(c: RequestCase, response: RawResponse, token: string): string | undefined {
  if (response.status < 200 || response.status >= 500) return `status ${response.status}`;
  const text = response.body.toString('utf8');
  if (text.includes(SECRET)) return 'served a file outside the web root';
  if (!c.carriesToken && (text.includes(token) || JSON.stringify(response.headers).includes(token))) return 'leaked the session token';
  const location = response.headers.location;
  if (location !== undefined && !location.startsWith('/')) return `redirects off the server, to ${location}`;
  if (response.status < 400 || c.method === 'HEAD') return undefined;
  if (response.headers['content-type']?.startsWith('text/html')) {
    if (!c.wantsHtml || c.path.startsWith('/api/')) return 'an HTML error for a client that did not ask for a page';
    return text.includes('This page could not be opened') ? undefined : 'an HTML error that is not the error page';
  }
  let code: unknown;
  let message: unknown;
  try {
    ({ code, message } = (JSON.parse(text) as { error: { code: unknown; message: unknown } }).error);
  } catch {
    return `a ${response.status} without the JSON error shape: ${JSON.stringify(text.slice(0, 120))}`;
  }
  if (!KNOWN_CODES.has(code as DrydockErrorCode)) return `unknown code ${String(code)}`;
  if (typeof message !== 'string' || message.length === 0) return 'an error without a message';
  if (statusOf(code as DrydockErrorCode) !== response.status) return `${String(code)} with status ${response.status}`;
  return undefined;
}

/** Opens a connection and says when the server has closed its end of it for good. */
async function openRaw(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const target = new URL(url);
  const socket = connect({ port: Number(target.port), host: target.hostname, allowHalfOpen: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => {});
  const startedAt = performance.now();
  const closed = new Promise<number>((resolve) => socket.once('end', () => resolve((performance.now() - startedAt) / 1000)));
  return { socket, received: () => text, closed };
}

const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };

// The lab server's HTTP side under generated abuse; each test names the protection it shows.
describe('the HTTP server under fuzzing', { timeout: 240_000 }, () => {
  const lab = testLab({ id: 'http-fuzz-lab', hosts: ['node1'] });
  let app: TestServer;
  let dir: string;
  let sessionId: string;
  let token: string;
  /** The server's end of every connection, to see whether it lets go. */
  const serverSockets: Socket[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-http-fuzz-'));
    await mkdir(join(dir, 'web'));
    await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><title>Drydock</title>');
    await writeFile(join(dir, 'secret.txt'), SECRET);
    await writeFile(join(dir, 'web', '.env'), SECRET);
    app = await startTestServer({
      labs: [lab],
      webRoot: join(dir, 'web'),
      config: { headersTimeoutSeconds: HEADERS_TIMEOUT_S, requestTimeoutSeconds: REQUEST_TIMEOUT_S },
    });
    app.server.server.on('connection', (socket: Socket) => serverSockets.push(socket));
    const started = await app.sessions.start(lab.id, testOwner('fuzz-target'));
    sessionId = started.session.id;
    token = started.token;
  });

  after(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(`${REQUESTS} generated requests: no 5xx, every refusal typed, nothing leaked (error mapping, not-found page, clientError, upgrade refusals)`, async (t) => {
    await replayable(seed, async () => {
      const rng = new Rng(seed).fork('http');
      const cases = Array.from({ length: REQUESTS }, () => httpRequestCase(rng, { sessionId, token, hosts: ['node1'] }));
      /** Each kind of bad answer once, with how often it came and the first request that drew it. */
      const problems = new Map<string, { count: number; example: string }>();
      const statuses = new Map<number, number>();
      let next = 0;
      const startedAt = performance.now();
      const worker = async () => {
        while (next < cases.length) {
          const index = next++;
          const c = cases[index]!;
          const { responses, timedOut } = await exchange(app.url, c.bytes, { headOnly: c.method === 'HEAD' });
          const found = (problem: string) => {
            const key = `${c.kind}: ${problem.slice(0, 60)}`;
            const seen = problems.get(key) ?? {
              count: 0,
              example: `#${index} ${JSON.stringify(c.bytes.subarray(0, 300).toString('latin1'))} → ${problem}`,
            };
            problems.set(key, { ...seen, count: seen.count + 1 });
          };
          if (timedOut || responses.length === 0) found(timedOut ? 'no answer in time' : 'closed without an answer');
          for (const response of responses) {
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const problem = problemWith(c, response, token);
            if (problem) found(problem);
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      const seconds = (performance.now() - startedAt) / 1000;
      t.diagnostic(
        `seed ${seed}: ${REQUESTS} requests in ${seconds.toFixed(1)} s; statuses ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
      );
      const report = [...problems].map(([key, { count, example }]) => `${count}× ${key}\n    e.g. ${example}`);
      assert.deepEqual(report, [], `bad answers:\n${report.join('\n')}`);
    });
  });

  test('afterwards the fuzzed session still answers, and a new one starts and echoes', async () => {
    assert.equal((await fetch(`${app.url}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const started = await startLabSession(app.url, lab.id);
    const client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
    client.input('node1', 'echo served-$((20+3))\r');
    await client.waitFor(() => client.text(0).includes('served-23'), 'the new session’s echo', 20_000);
    await client.close();
    const ended = await fetch(`${app.url}/api/sessions/${started.session.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${started.token}` },
    });
    assert.equal(ended.status, 200);
  });

  test('slowloris: headers trickled in are cut off with a typed 408 (headersTimeout)', { timeout: 30_000 }, async () => {
    const { socket, received, closed } = await openRaw(app.url);
    socket.write('GET /api/labs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const drip = setInterval(() => socket.writable && socket.write('a'), 300);
    const seconds = await closed;
    clearInterval(drip);
    socket.destroy();
    assert.match(received(), /^HTTP\/1\.1 408 /);
    assert.equal(bodyOf(received()).error.code, 'DD_REQUEST_TIMEOUT');
    assert.ok(seconds < REQUEST_TIMEOUT_S - 1, `cut off after ${seconds.toFixed(1)} s; the headers timeout is ${HEADERS_TIMEOUT_S} s`);
  });

  test('a body trickled in is cut off with a typed 408 (requestTimeout)', { timeout: 30_000 }, async () => {
    const { socket, received, closed } = await openRaw(app.url);
    socket.write('POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"labId":"');
    const drip = setInterval(() => socket.writable && socket.write('x'), 300);
    const seconds = await closed;
    clearInterval(drip);
    socket.destroy();
    assert.match(received(), /^HTTP\/1\.1 408 /);
    assert.equal(bodyOf(received()).error.code, 'DD_REQUEST_TIMEOUT');
    assert.ok(seconds >= HEADERS_TIMEOUT_S && seconds < REQUEST_TIMEOUT_S + 8, `cut off after ${seconds.toFixed(1)} s`);
  });

  test('a connection that never sends a byte is closed (headersTimeout)', { timeout: 30_000 }, async () => {
    const { socket, closed } = await openRaw(app.url);
    const seconds = await closed;
    socket.destroy();
    assert.ok(seconds < REQUEST_TIMEOUT_S - 1, `closed after ${seconds.toFixed(1)} s; the headers timeout is ${HEADERS_TIMEOUT_S} s`);
  });

  test(
    'a refused client that keeps its half of the connection open is let go anyway (refusals destroy the socket)',
    { timeout: 30_000 },
    async () => {
      const refusals = [
        'GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        `GET /api/sessions/${sessionId}/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: drydock.v1, drydock.token.guess\r\n\r\n`,
        'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
        'NOT-A-METHOD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      ];
      for (const request of refusals) {
        const { socket, received, closed } = await openRaw(app.url);
        try {
          const server = serverSockets.at(-1)!;
          socket.write(request);
          await closed;
          assert.match(received(), /^HTTP\/1\.1 4\d\d /, request);
          assert.ok(bodyOf(received()).error.code, request);
          // The client never ends its side: the server must not wait for it to.
          const deadline = Date.now() + 5_000;
          while (!server.destroyed && Date.now() < deadline) await sleep(50);
          assert.ok(server.destroyed, `the server still holds the connection after ${JSON.stringify(request.split('\r\n')[0])}`);
        } finally {
          socket.destroy();
        }
      }
    },
  );

  test('a static file the client sets a condition on that fails is refused as JSON, not with the file’s headers; a Range is ignored (error handler clears them)', async () => {
    const get = (header: string) =>
      exchange(app.url, Buffer.from(`GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n${header}\r\nConnection: close\r\n\r\n`));
    const [file] = (await get('X-Plain: 1')).responses;
    const [refused] = (await get('If-Match: "not-this-one"')).responses;
    assert.equal(refused?.status, 400);
    assert.match(refused!.headers['content-type'] ?? '', /^application\/json/);
    assert.notEqual(refused!.headers.etag, file!.headers.etag, 'no validator of a file that was not sent');
    assert.equal(refused!.headers['last-modified'], undefined);
    assert.equal((JSON.parse(refused!.body.toString()) as { error: { code: string } }).error.code, 'DD_BAD_REQUEST');
    const [whole] = (await get('Range: bytes=5-1')).responses;
    assert.equal(whole?.status, 200);
    assert.equal(whole!.body.toString(), '<!doctype html><title>Drydock</title>');
  });

  test('a body over 16 KiB, plain or inflated from a small gzip, is refused with 413 (body size limit)', async () => {
    const post = (body: Buffer, encoding?: string) =>
      exchange(
        app.url,
        Buffer.concat([
          Buffer.from(
            `POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${encoding ? `Content-Encoding: ${encoding}\r\n` : ''}` +
              `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          ),
          body,
        ]),
      );
    const plain = Buffer.from(`{"labId":"${'x'.repeat(20 * 1024)}"}`);
    const bomb = gzipSync(Buffer.from(`{"labId":"${' '.repeat(8 * 1024 * 1024)}"}`));
    for (const { responses } of [await post(plain), await post(bomb, 'gzip')]) {
      assert.equal(responses[0]?.status, 413);
      assert.equal((JSON.parse(responses[0]!.body.toString()) as { error: { code: string } }).error.code, 'DD_PROTOCOL_TOO_LARGE');
    }
  });
});
