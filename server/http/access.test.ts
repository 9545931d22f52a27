import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { StartedSessionBody } from '../../shared/api.ts';
import { testLab } from '../test-support/test-lab.ts';
import { sh } from '../test-support/sandbox.ts';
import { NodeSessionClient, startLabSession } from '../verify/node-session-client.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

// Two learners, each with a session. Whatever one of them holds (their own token, their own
// cookie) opens nothing of the other's: not the API, not the terminal, not a port.
describe('one session cannot reach another', { timeout: 120_000 }, () => {
  const lab = testLab({ id: 'access-lab', hosts: ['node1'] });
  let app: TestServer;
  let mine: StartedSessionBody;
  let theirs: StartedSessionBody;

  before(async () => {
    app = await startTestServer({ labs: [lab] });
    mine = await startLabSession(app.url, lab.id);
    theirs = await startLabSession(app.url, lab.id);
    // A service in their host that would say so if anyone reached it.
    const host = app.sessions.authorize(theirs.session.id, theirs.token).hosts.host('node1');
    await sh(host, 'nohup socat TCP-LISTEN:8000,fork,reuseaddr SYSTEM:"echo HTTP/1.1 200 OK; echo; echo their-secret" >/dev/null 2>&1 &');
    await sh(host, 'for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null && exit 0; sleep 0.1; done; exit 1');
  });
  after(async () => app?.close());

  const statusOf = (path: string, init: RequestInit = {}, base = app.url) =>
    fetch(base + path, { redirect: 'manual', ...init }).then(async (r) => ({ status: r.status, body: await r.text() }));

  test('my token opens none of their API', async () => {
    const auth = { authorization: `Bearer ${mine.token}` };
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/extend'],
      ['POST', '/reset'],
      ['DELETE', ''],
    ] as const) {
      const answer = await statusOf(`/api/sessions/${theirs.session.id}${path}`, { method, headers: auth });
      assert.equal(answer.status, 404, `${method} ${path}: ${answer.body}`);
      assert.match(answer.body, /"code":"DD_SESSION_NOT_FOUND"/);
    }
    assert.equal(
      (await statusOf(`/api/sessions/${theirs.session.id}`, { headers: { authorization: `Bearer ${theirs.token}` } })).status,
      200,
      'their session is still there',
    );
  });

  test('my token does not attach to their terminal', async () => {
    await assert.rejects(NodeSessionClient.connect(app.url, theirs.session.id, mine.token), (err: { statusCode?: number }) => err.statusCode === 404);
  });

  test('my token and my cookie open none of their ports', async () => {
    const base = `/sessions/${theirs.session.id}/ports/node1/8000/`;
    const attempts: [string, RequestInit][] = [
      [`${base}?drydock_token=${mine.token}`, {}],
      [base, { headers: { cookie: `drydock_port_${theirs.session.id}=${mine.token}` } }],
      [base, { headers: { cookie: `drydock_port_${mine.session.id}=${mine.token}` } }],
      [base, { headers: { authorization: `Bearer ${mine.token}` } }],
    ];
    for (const [path, init] of attempts) {
      const answer = await statusOf(path, init, app.server.portsUrl);
      assert.ok([401, 404].includes(answer.status), `${path} ${JSON.stringify(init)} → ${answer.status}`);
      assert.doesNotMatch(answer.body, /their-secret/);
    }
    const own = await statusOf(`${base}?drydock_token=${theirs.token}`, {}, app.server.portsUrl);
    assert.equal(own.status, 303, 'their own token opens it (so the refusals above were about the token)');
  });

  test('guessed and stolen-looking tokens are refused without a hint of which part was wrong', async () => {
    const real = mine.token;
    const guesses = [
      '',
      'null',
      'undefined',
      real.slice(0, -1),
      real + 'A',
      real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'),
      real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
      theirs.token,
      randomBytes(32).toString('base64url'),
      'x'.repeat(8_000),
      '../../etc/passwd',
      'Ω'.repeat(43),
    ];
    const answers = await Promise.all(
      guesses.map((guess) => statusOf(`/api/sessions/${mine.session.id}`, { headers: { authorization: `Bearer ${encodeURIComponent(guess)}` } })),
    );
    for (const [i, answer] of answers.entries()) {
      if (guesses[i] === theirs.token) assert.equal(answer.status, 404, 'their token is not mine');
      assert.ok([401, 404, 431].includes(answer.status), `guess ${i}: ${answer.status} ${answer.body.slice(0, 200)}`);
      assert.doesNotMatch(answer.body, new RegExp(real));
    }
    const bodies = new Set(answers.filter((a) => a.status === 404).map((a) => a.body));
    assert.equal(bodies.size, 1, `every wrong token gets the same answer: ${[...bodies].join(' | ')}`);
  });

  test('nothing lists sessions or hands out a token again', async () => {
    assert.equal((await statusOf('/api/sessions')).status, 404);
    const view = await statusOf(`/api/sessions/${mine.session.id}`, { headers: { authorization: `Bearer ${mine.token}` } });
    assert.doesNotMatch(view.body, new RegExp(mine.token));
  });
});
