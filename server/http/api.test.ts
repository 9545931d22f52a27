import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { PlatformBody, StartedSessionBody } from '../../shared/api.ts';
import { hostContainers, sh } from '../test-support/sandbox.ts';
import { testLab } from '../test-support/test-lab.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

// The HTTP API and the port proxy of the real server, over a real engine.
describe('the HTTP API', { timeout: 120_000 }, () => {
  const lab = testLab({ id: 'api-lab', hosts: ['node1'] });
  let app: TestServer;
  let started: StartedSessionBody;
  // One browser: the learner cookie the server sets comes back with every request.
  let learnerCookie: string | undefined;
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: string; headers?: Record<string, string>; base?: string } = {},
  ) => {
    const response = await fetch((options.base ?? app.url) + path, {
      method,
      redirect: 'manual',
      body: options.body,
      headers: {
        ...(learnerCookie ? { cookie: learnerCookie } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
    });
    learnerCookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? learnerCookie;
    return response;
  };
  const errorOf = async (response: Response) => ({
    status: response.status,
    ...((await response.json()) as { error: { code: string; message: string } }).error,
  });

  before(async () => {
    app = await startTestServer({ labs: [lab], policy: { limits: { perLearner: 1, perAddress: 60, total: 5 } } });
  });

  after(async () => app?.close());

  test('lists labs and serves one, with its lesson text but not its checks', async () => {
    const { labs } = (await (await call('GET', '/api/labs')).json()) as { labs: { id: string }[] };
    assert.deepEqual(
      labs.map((l) => l.id),
      ['api-lab'],
    );
    const body = await (await call('GET', '/api/labs/api-lab')).text();
    assert.match(body, /"introHtml":"<p>An intro.<\/p>"/);
    assert.doesNotMatch(body, /"checks"|"solution"/);
    assert.deepEqual(await errorOf(await call('GET', '/api/labs/nope')), {
      status: 404,
      code: 'DD_LAB_NOT_FOUND',
      message: 'there is no lab "nope"',
    });
  });

  test('says what is wrong with a bad request', async () => {
    assert.deepEqual(await errorOf(await call('POST', '/api/sessions', { body: '{"labId": 7}' })), {
      status: 400,
      code: 'DD_BAD_REQUEST',
      message: 'the request body field "labId": Invalid input: expected string, received number',
    });
    assert.equal(
      ((await (await call('POST', '/api/sessions', { body: '{"labId"' })).json()) as { error: { message: string } }).error.message,
      'the request body is not valid JSON',
    );
    assert.equal((await errorOf(await call('POST', '/api/sessions', { body: '{"labId"' }))).message, 'the request body is not valid JSON');
    assert.equal((await errorOf(await call('POST', '/api/sessions', { body: '{"labId":"api-lab","extra":1}' }))).code, 'DD_BAD_REQUEST');
    assert.equal((await errorOf(await call('POST', '/api/sessions', { body: '{"labId":"nope"}' }))).status, 404);
    assert.equal((await errorOf(await call('GET', '/api/whatever'))).code, 'DD_ROUTE_NOT_FOUND');
  });

  test('starts a session and hands out its token once', async () => {
    const response = await call('POST', '/api/sessions', { body: '{"labId":"api-lab"}' });
    assert.equal(response.status, 201);
    started = (await response.json()) as StartedSessionBody;
    assert.match(started.token, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url');
    assert.equal(started.session.state, 'ready');
    assert.deepEqual(started.session.hosts, [{ name: 'node1', state: 'ready' }]);
    assert.equal(response.headers.get('location'), `/api/sessions/${started.session.id}`);
    const again = await call('GET', `/api/sessions/${started.session.id}`, { token: started.token });
    assert.doesNotMatch(await again.text(), /token/);
  });

  test('a second session for the same learner is refused with a clear message', async () => {
    const refused = await errorOf(await call('POST', '/api/sessions', { body: '{"labId":"api-lab"}' }));
    assert.equal(refused.status, 429);
    assert.match(refused.message, /already have 1 lab session running/);
  });

  test('needs the session’s own token', async () => {
    const path = `/api/sessions/${started.session.id}`;
    assert.equal((await errorOf(await call('GET', path))).status, 401);
    assert.equal((await errorOf(await call('GET', path, { token: 'guess' }))).status, 404);
    assert.equal((await errorOf(await call('DELETE', '/api/sessions/nope', { token: started.token }))).status, 404);
    assert.equal((await call('GET', path, { token: started.token })).status, 200);
  });

  test('extends within the limit', async () => {
    const path = `/api/sessions/${started.session.id}/extend`;
    const first = (await (await call('POST', path, { token: started.token })).json()) as StartedSessionBody;
    assert.equal(first.session.expiresAt, started.session.expiresAt + 5 * 60_000);
    await call('POST', path, { token: started.token });
    assert.deepEqual(await errorOf(await call('POST', path, { token: started.token })), {
      status: 409,
      code: 'DD_SESSION_EXTEND_LIMIT',
      message: 'this session already runs to its limit of 0.3 h; it cannot be extended further',
    });
  });

  test('proxies a port of a host, on the ports origin only, with the session token, without passing the token on', async () => {
    const host = app.sessions.authorize(started.session.id, started.token).hosts.host('node1');
    // A tiny web service in the host that answers with the request line it got.
    const serve = [
      '#!/bin/bash',
      'read -r line',
      `while IFS= read -r h && [ "\${h%$'\\r'}" != "" ]; do :; done`,
      'printf "HTTP/1.1 200 OK\\r\\nConnection: close\\r\\n\\r\\n%s\\n" "$line"',
    ];
    await host.exec(['tee', '/root/serve.sh'], { stdin: serve.join('\n') + '\n' });
    await sh(host, 'chmod +x /root/serve.sh; nohup socat TCP-LISTEN:8000,fork,reuseaddr EXEC:/root/serve.sh >/dev/null 2>&1 &');
    await sh(host, 'for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null && exit 0; sleep 0.1; done; exit 1');
    const base = `/sessions/${started.session.id}/ports/node1/8000`;
    const ports = app.server.portsUrl;
    const anonymous = await call('GET', `${base}/hello?x=1`, { headers: { accept: 'text/html' }, base: ports });
    assert.equal(anonymous.status, 401);
    assert.match(await anonymous.text(), /<h1[^>]*>This page could not be opened<\/h1><p>this request needs the session token/);
    const first = await call('GET', `${base}/hello?x=1&drydock_token=${started.token}`, { base: ports });
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), `${base}/hello?x=1`, 'the token leaves the address bar');
    const cookie = first.headers.get('set-cookie')!;
    assert.match(
      cookie,
      new RegExp(
        `^drydock_port_${started.session.id}=${started.token}; Path=/sessions/${started.session.id}/ports/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`,
      ),
    );
    const proxied = await call('GET', `${base}/hello?x=1`, { headers: { cookie: `${cookie.split(';')[0]}; theirs=1` }, base: ports });
    assert.equal(proxied.status, 200);
    assert.equal(await proxied.text(), 'GET /hello?x=1 HTTP/1.1\r\n', 'the service sees the path without the prefix or the token');
    const wrong = await call('GET', `${base}/`, { headers: { cookie: `drydock_port_${started.session.id}=guess` }, base: ports });
    assert.equal(wrong.status, 404);
    const closed = await errorOf(
      await call('GET', `/sessions/${started.session.id}/ports/node1/8001/`, {
        headers: { cookie: cookie.split(';')[0]!, accept: 'application/json' },
        base: ports,
      }),
    );
    assert.deepEqual([closed.status, closed.code], [502, 'DD_PORT_UNREACHABLE']);
    assert.equal((await call('GET', `/sessions/${started.session.id}/ports/node1/99999/`, { base: ports })).status, 400);
    assert.equal((await call('GET', `/sessions/${started.session.id}/ports/node7/80/?drydock_token=${started.token}`, { base: ports })).status, 404);
    // Drydock's own origin no longer proxies, and says where ports are; the ports origin serves nothing else.
    const moved = await errorOf(
      await call('GET', `${base}/hello?x=1&drydock_token=${started.token}`, { headers: { cookie: cookie.split(';')[0]! } }),
    );
    assert.deepEqual([moved.status, moved.code], [404, 'DD_PORT_MOVED']);
    assert.equal(
      moved.message,
      `published ports are served from their own origin, ${ports}, not from Drydock's: open the port again from the lab view (it opens ${ports}${base}/hello?x=1).`,
    );
    const platform = (await (await call('GET', '/api/platform')).json()) as PlatformBody;
    assert.equal(platform.portsOrigin, ports);
    for (const path of ['/api/labs', '/', `/api/sessions/${started.session.id}`]) {
      const other = await errorOf(await call('GET', path, { token: started.token, headers: { accept: 'application/json' }, base: ports }));
      assert.deepEqual([other.status, other.code], [404, 'DD_ROUTE_NOT_FOUND'], path);
    }
  });

  test('passes WebSocket handshakes to the host without the Drydock cookie', async () => {
    const host = app.sessions.authorize(started.session.id, started.token).hosts.host('node1');
    // An echo service that accepts the upgrade first (the proxy passes on only answers that are HTTP),
    // then sends back whatever the proxy forwarded, so the test reads the forwarded handshake.
    await host.exec(['tee', '/root/echo.sh'], {
      stdin: 'printf "HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n"; exec cat\n',
    });
    await sh(host, 'nohup socat TCP-LISTEN:9000,fork,reuseaddr EXEC:"bash /root/echo.sh" >/dev/null 2>&1 &');
    await sh(host, 'for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null && exit 0; sleep 0.1; done; exit 1');
    const { port } = new URL(app.server.portsUrl);
    const socket = connect(Number(port), '127.0.0.1');
    const echoed = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (b) => {
        text += b;
        if (text.split('\r\n\r\n').length > 2) resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
      });
      socket.write(
        `GET /sessions/${started.session.id}/ports/node1/9000/live?a=b HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: drydock_port_${started.session.id}=${started.token}; theirs=2\r\n\r\n`,
      );
    });
    socket.destroy();
    assert.match(echoed, /^GET \/live\?a=b HTTP\/1.1\r\n/);
    assert.match(echoed, /\r\nHost: node1:9000\r\n/);
    assert.match(echoed, /\r\nCookie: theirs=2\r\n/);
    assert.doesNotMatch(echoed, new RegExp(started.token));
  });

  test('ending removes the hosts; the session is gone after', async () => {
    const response = await call('DELETE', `/api/sessions/${started.session.id}`, { token: started.token });
    const body = (await response.json()) as StartedSessionBody;
    assert.equal(body.session.state, 'ended');
    assert.deepEqual(body.session.hosts, [{ name: 'node1', state: 'gone' }]);
    assert.equal((await call('GET', `/api/sessions/${started.session.id}`, { token: started.token })).status, 404);
    assert.deepEqual(await hostContainers(app.config), [], 'no lab host is left');
  });
});
