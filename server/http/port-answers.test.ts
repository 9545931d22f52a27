import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { StartedSessionBody } from '../../shared/api.ts';
import { testLab } from '../test-support/test-lab.ts';
import { sh } from '../test-support/sandbox.ts';
import { startLabSession } from '../verify/node-session-client.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

// What a service in a learner's host answers may not reach past its own port path: a Drydock
// link is one anyone can be handed, and every service shares Drydock's origin.
describe('a proxied service answer stays inside its session', { timeout: 120_000 }, () => {
  const lab = testLab({ id: 'port-answers-lab', hosts: ['node1'] });
  let app: TestServer;
  let started: StartedSessionBody;
  let prefix: string;
  let cookie: string;

  // Answers `GET /NAME…` with the head stored in /root/answers/NAME; `/echo-cookie` answers with
  // the Cookie header it was sent.
  const serve = [
    '#!/bin/bash',
    'read -r _ path _',
    'cookie=',
    `while IFS= read -r h && h="\${h%$'\\r'}" && [ -n "$h" ]; do`,
    '  case "${h,,}" in cookie:*) cookie="${h#*: }" ;; esac',
    'done',
    'name="${path#/}"; name="${name%%[/?]*}"',
    `if [ "$name" = echo-cookie ]; then printf 'HTTP/1.1 200 OK\\r\\nConnection: close\\r\\n\\r\\n%s' "$cookie"; exit; fi`,
    'cat "/root/answers/$name"',
  ].join('\n');
  const answers = (sessionId: string): Record<string, string[]> => ({
    offsite: ['HTTP/1.1 302 Found', 'Location: https://evil.example/phish'],
    'scheme-relative': ['HTTP/1.1 301 Moved Permanently', 'Location: //evil.example/x'],
    backslash: ['HTTP/1.1 302 Found', 'Location: /\\evil.example/x'],
    script: ['HTTP/1.1 302 Found', 'Location: javascript:alert(document.cookie)'],
    'refresh-offsite': ['HTTP/1.1 200 OK', 'Refresh: 0; url=https://evil.example/'],
    'own-host': ['HTTP/1.1 302 Found', 'Location: http://localhost:8080/x?y=1', 'Content-Location: https://cdn.example/x'],
    relative: ['HTTP/1.1 303 See Other', 'Location: next', 'Refresh: 5; url=/later'],
    cookies: [
      'HTTP/1.1 200 OK',
      'Set-Cookie: global=1; Path=/',
      `Set-Cookie: drydock_port_${sessionId}=planted; Path=/sessions/${sessionId}/ports/`,
      'Set-Cookie: drydock_port_their-session=planted; Path=/sessions/their-session/ports/',
      'Set-Cookie: drydock_learner=planted; Path=/',
      'Set-Cookie: drydock_instructor=planted; Path=/api/instructor',
      'Set-Cookie: wide=1; Domain=127.0.0.1; Path=/app',
    ],
    'ws-cookies': [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Set-Cookie: drydock_port_${sessionId}=planted; Path=/`,
      'Set-Cookie: a=1; Path=/',
    ],
  });

  before(async () => {
    app = await startTestServer({ labs: [lab] });
    started = await startLabSession(app.url, lab.id);
    prefix = `/sessions/${started.session.id}/ports/node1/8000`;
    const host = app.sessions.authorize(started.session.id, started.token).hosts.host('node1');
    await host.exec(['tee', '/root/serve.sh'], { stdin: serve });
    await sh(host, 'mkdir -p /root/answers');
    for (const [name, head] of Object.entries(answers(started.session.id))) {
      const text = head[0]!.includes(' 101 ')
        ? head.join('\r\n') + '\r\n\r\n'
        : [...head, 'Content-Length: 2', 'Connection: close'].join('\r\n') + '\r\n\r\nhi';
      await host.exec(['tee', `/root/answers/${name}`], { stdin: text });
    }
    await sh(host, 'chmod +x /root/serve.sh; nohup socat TCP-LISTEN:8000,fork,reuseaddr EXEC:/root/serve.sh >/dev/null 2>&1 &');
    await sh(host, 'for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null && exit 0; sleep 0.1; done; exit 1');
    const first = await fetch(`${app.server.portsUrl}${prefix}/?drydock_token=${started.token}`, { redirect: 'manual' });
    cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  });
  after(async () => app?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(app.server.portsUrl + prefix + path, { redirect: 'manual', headers: { cookie, ...headers } });

  test('redirects and Refresh that leave the lab are refused with the reason', async () => {
    for (const [path, reason] of [
      ['/offsite', /another site \(https:\/\/evil\.example\)/],
      ['/scheme-relative', /another site \(http:\/\/evil\.example\)/],
      ['/backslash', /another site \(http:\/\/evil\.example\)/],
      ['/script', /a javascript: address/],
      ['/refresh-offsite', /another site \(https:\/\/evil\.example\)/],
    ] as const) {
      const answer = await get(path);
      const body = await answer.text();
      assert.equal(answer.status, 502, `${path}: ${answer.status} ${answer.headers.get('location')} ${body}`);
      assert.equal(answer.headers.get('location'), null, path);
      assert.equal(answer.headers.get('refresh'), null, path);
      assert.match(body, /"code":"DD_PORT_REDIRECT_REFUSED"/, path);
      assert.match(body, reason, path);
    }
    const page = await get('/offsite', { accept: 'text/html' });
    assert.match(
      await page.text(),
      /<h1[^>]*>This page could not be opened<\/h1><p>the service on node1:8000 sent the browser to another site \(https:\/\/evil.example\), outside this lab/,
    );
  });

  test('redirects within the service or its host stay inside the session', async () => {
    const ownHost = await get('/own-host');
    assert.equal(ownHost.status, 302);
    assert.equal(ownHost.headers.get('location'), `/sessions/${started.session.id}/ports/node1/8080/x?y=1`);
    assert.equal(ownHost.headers.get('content-location'), null, 'a Content-Location elsewhere is dropped');
    const relative = await get('/relative');
    assert.equal(relative.status, 303);
    assert.equal(relative.headers.get('location'), `${prefix}/next`);
    assert.equal(relative.headers.get('refresh'), `5; url=${prefix}/later`);
  });

  test("the service's cookies stay under its port path and never carry Drydock's names", async () => {
    const answer = await get('/cookies');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.headers.getSetCookie(), [`global=1; Path=${prefix}/`, `wide=1; Path=${prefix}/app`]);
  });

  test("the service is sent none of Drydock's cookies, of this session or any other", async () => {
    // The browser sends every cookie of the machine's name to the ports listener too (cookies ignore ports): Drydock's own sign-ins included.
    const answer = await get('/echo-cookie', {
      cookie: `${cookie}; theirs=1; drydock_port_their-session=x; drydock_learner=l; drydock_instructor=i; drydock_other=y`,
    });
    assert.equal(await answer.text(), 'theirs=1');
  });

  test("a WebSocket handshake's answer is confined the same way", async () => {
    const handshake = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(app.server.portsUrl).port), '127.0.0.1');
        let text = '';
        socket.on('error', reject);
        socket.on('data', (b) => {
          text += b.toString('latin1');
          if (text.includes('\r\n\r\n')) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.write(
          `GET ${prefix}${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`,
        );
      });
    const upgraded = await handshake('/ws-cookies');
    assert.match(upgraded, /^HTTP\/1.1 101 Switching Protocols\r\n/);
    assert.match(upgraded, new RegExp(`\r\nSet-Cookie: a=1; Path=${prefix}/\r\n`));
    assert.doesNotMatch(upgraded, /drydock_/);
    const refused = await handshake('/offsite');
    assert.match(refused, /^HTTP\/1.1 502 /);
    assert.doesNotMatch(refused, /\r\nLocation:/i);
  });
});
