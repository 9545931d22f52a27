import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { StartedSessionBody } from '../../shared/api.ts';
import { testLab } from '../test-support/test-lab.ts';
import { NodeSessionClient, startLabSession } from '../verify/node-session-client.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const ALLOWED = 'https://training.example.com';

// Drydock's cookies go with every request a browser makes to its host, whichever page asks, and
// the ports listener's pages are the same site. Requests are sent here with the headers Chromium
// gives them (Origin, Sec-Fetch-Site); e2e/cross-site.test.ts makes them from a real page.
describe('the API acts only for Drydock’s own pages', { timeout: 120_000 }, () => {
  const lab = testLab({ id: 'guard-lab', hosts: ['node1'] });
  let app: TestServer;
  let started: StartedSessionBody;
  let portsOrigin: string;

  before(async () => {
    app = await startTestServer({ labs: [lab], config: { allowedOrigins: [ALLOWED] } });
    started = await startLabSession(app.url, lab.id);
    portsOrigin = app.server.portsUrl;
  });
  after(async () => app?.close());

  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(app.url + path, { method, headers: { authorization: `Bearer ${started.token}`, ...headers } }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
  const sessionPath = () => `/api/sessions/${started.session.id}`;
  const view = () => app.sessions.authorize(started.session.id, started.token).view();

  test('a change from a page of the ports origin, another site or a hidden origin is refused, and nothing happens', async () => {
    const refused: [string, string, Record<string, string>][] = [
      ['POST', '/reset', { origin: portsOrigin, 'sec-fetch-site': 'same-site' }],
      ['DELETE', '', { origin: portsOrigin }],
      ['POST', '/extend', { 'sec-fetch-site': 'same-site' }],
      ['POST', '/reset', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['DELETE', '', { origin: 'https://evil.example' }],
      ['POST', '/extend', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
      ['PUT', '', { origin: 'http://127.0.0.1.evil.example' }],
    ];
    const expiresAt = view().expiresAt;
    for (const [method, path, headers] of refused) {
      const answer = await call(method, sessionPath() + path, headers);
      assert.equal(answer.status, 403, `${method} ${path} ${JSON.stringify(headers)}: ${answer.body}`);
      assert.match(answer.body, /"code":"DD_CROSS_SITE"/);
    }
    assert.match(
      (await call('POST', `${sessionPath()}/reset`, { origin: portsOrigin })).body,
      new RegExp(`a page at ${portsOrigin} may not change anything in Drydock`),
    );
    assert.match((await call('POST', '/api/sessions', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' })).body, /DD_CROSS_SITE/);
    assert.equal(view().state, 'ready', 'not ended');
    assert.equal(view().expiresAt, expiresAt, 'not extended');
    assert.equal(app.sessions.count, 1, 'none started');
  });

  test('private reads refuse pages of another site or port; the catalog stays public', async () => {
    for (const path of [sessionPath(), '/api/me', '/api/instructor/classes', '/API/ME', `/Api/Sessions/${started.session.id}`]) {
      for (const site of ['cross-site', 'same-site']) {
        const answer = await call('GET', path, { 'sec-fetch-site': site, origin: portsOrigin });
        assert.equal(answer.status, 403, `${path} ${site}: ${answer.body}`);
        assert.match(answer.body, /"code":"DD_CROSS_SITE".*may not read anything in Drydock/);
      }
    }
    for (const path of ['/api/labs', '/api/labs/guard-lab', '/api/platform']) {
      assert.equal((await call('GET', path, { 'sec-fetch-site': 'cross-site' })).status, 200, path);
    }
  });

  test("Drydock's own page, an allowed origin, and programs without Origin still work", async () => {
    const own = { origin: app.url, 'sec-fetch-site': 'same-origin' };
    assert.equal((await call('GET', sessionPath(), own)).status, 200);
    assert.equal((await call('GET', sessionPath(), { 'sec-fetch-site': 'none' })).status, 200, 'typed into the address bar');
    assert.equal((await call('POST', `${sessionPath()}/extend`, own)).status, 200);
    assert.equal((await call('GET', sessionPath(), { origin: ALLOWED, 'sec-fetch-site': 'cross-site' })).status, 200, 'an allowed origin');
    assert.equal(
      (await call('POST', `${sessionPath()}/extend`, { origin: ALLOWED, 'sec-fetch-site': 'cross-site' })).status,
      200,
      'an allowed origin',
    );
    // curl sends no Origin and no Sec-Fetch-Site.
    const { stdout } = await promisify(execFile)('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      '-H',
      `Authorization: Bearer ${started.token}`,
      `${app.url}${sessionPath()}/reset`,
    ]);
    assert.equal(stdout, '200', 'curl reset the session');
  });

  test("a session socket from the ports origin is refused; Drydock's own page and programs connect", async () => {
    await assert.rejects(
      NodeSessionClient.connect(app.url, started.session.id, started.token, { origin: portsOrigin }),
      (err: { statusCode?: number }) => err.statusCode === 403,
    );
    for (const origin of [app.url, undefined]) {
      const client = await NodeSessionClient.connect(app.url, started.session.id, started.token, { origin });
      client.ws.close();
    }
  });
});
