import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StartedSessionBody } from '../../shared/api.ts';
import type { MeBody } from '../../shared/classroom.ts';
import { LEARNER_COOKIE, learnerIdOf } from '../learners/learner-cookie.ts';
import { LearnerBrowser } from '../test-support/learner-browser.ts';
import { testLab } from '../test-support/test-lab.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const COOKIE_SHAPE = new RegExp(`^${LEARNER_COOKIE}=([A-Za-z0-9_-]{43}); Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax$`);

/** The learner cookie a response sets, if any, and its secret. */
function issued(response: Response): { line: string; secret: string } | undefined {
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${LEARNER_COOKIE}=`));
  return line === undefined ? undefined : { line, secret: line.split(';')[0]!.split('=')[1]! };
}

// Learners without accounts: the cookie, and sessions counted per learner behind one address.
describe('learners', { timeout: 180_000 }, () => {
  const lab = testLab({ id: 'learner-lab', steps: 1 });
  let app: TestServer;
  before(async () => {
    app = await startTestServer({ labs: [lab], policy: { limits: { perLearner: 1, perAddress: 3, total: 5 } } });
  });
  after(async () => app?.close());

  test('a new browser gets the cookie once, with its attributes; the store keeps only its digest', async () => {
    const browser = new LearnerBrowser(app.url);
    const first = await browser.fetch('GET', '/api/me');
    assert.equal(first.status, 200);
    const cookie = issued(first);
    assert.match(cookie?.line ?? '', COOKIE_SHAPE, 'HttpOnly, SameSite=Lax, Path=/, a year, not Secure over http');
    assert.deepEqual(await first.json(), { name: '', classes: [], progress: [] } satisfies MeBody);
    const again = await browser.fetch('GET', '/api/me');
    assert.equal(issued(again), undefined, 'a known cookie is not issued again');
    assert.ok(await app.store.getLearner(learnerIdOf(cookie!.secret)), 'the learner is the digest of the secret');
    assert.equal(await app.store.getLearner(cookie!.secret), undefined);
    const file = await readFile(join(app.config.dataDir, 'drydock.db')).catch(() => Buffer.alloc(0));
    const wal = await readFile(join(app.config.dataDir, 'drydock.db-wal')).catch(() => Buffer.alloc(0));
    assert.equal(Buffer.concat([file, wal]).includes(cookie!.secret), false, 'the secret is nowhere in the store');
  });

  test('a garbage or made-up cookie is replaced, not trusted', async () => {
    for (const forged of ['garbage', 'A'.repeat(43), `${'x'.repeat(42)}!`]) {
      const browser = new LearnerBrowser(app.url);
      browser.setCookie(LEARNER_COOKIE, forged);
      const response = await browser.fetch('GET', '/api/me');
      const cookie = issued(response);
      assert.match(cookie?.line ?? '', COOKIE_SHAPE, `"${forged}" is replaced`);
      assert.notEqual(cookie!.secret, forged);
      assert.equal(await app.store.getLearner(learnerIdOf(forged)), undefined, 'no learner is made for a made-up secret');
    }
  });

  test('two learner cookies (one set by a page on another port of this host) are refused, not chosen between', async () => {
    const [victim, attacker] = [new LearnerBrowser(app.url), new LearnerBrowser(app.url)];
    const mine = issued(await victim.fetch('GET', '/api/me'))!.secret;
    const planted = issued(await attacker.fetch('GET', '/api/me'))!.secret;
    // A script cookie with a longer path is sent first; both are learners the store knows.
    const response = await fetch(`${app.url}/api/me`, { headers: { cookie: `${LEARNER_COOKIE}=${planted}; ${LEARNER_COOKIE}=${mine}` } });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'DD_COOKIE_CONFLICT');
    assert.match(body.error.message, /another port of this host/);
    assert.equal(response.headers.get('set-cookie'), null, 'no new identity is handed out either');
  });

  test('three learners behind one address each start a session; one learner gets no second; the address has a ceiling', async () => {
    const [ada, bob, cy, dee] = Array.from({ length: 4 }, () => new LearnerBrowser(app.url));
    const sessions: StartedSessionBody[] = [];
    for (const learner of [ada!, bob!, cy!]) sessions.push(await learner.json<StartedSessionBody>('POST', '/api/sessions', { labId: lab.id }));
    assert.equal(new Set(sessions.map((s) => s.session.id)).size, 3);
    const owners = sessions.map((s) => app.sessions.authorize(s.session.id, s.token).owner);
    assert.equal(new Set(owners.map((o) => o.learnerId)).size, 3, 'three learners');
    assert.equal(new Set(owners.map((o) => o.address)).size, 1, 'one address');

    const second = await ada!.fetch('POST', '/api/sessions', { body: { labId: lab.id } });
    assert.equal(second.status, 429);
    assert.match(((await second.json()) as { error: { message: string } }).error.message, /you already have 1 lab session running/);

    const fourth = await dee!.fetch('POST', '/api/sessions', { body: { labId: lab.id } });
    assert.equal(fourth.status, 429);
    assert.match(
      ((await fourth.json()) as { error: { message: string } }).error.message,
      /3 lab sessions are already running from your network address/,
    );

    for (const s of sessions)
      await fetch(`${app.url}/api/sessions/${s.session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  });
});

describe('the learner cookie behind a TLS proxy', { timeout: 120_000 }, () => {
  let app: TestServer;
  before(async () => {
    app = await startTestServer({ labs: [testLab()], config: { trustProxy: true } });
  });
  after(async () => app?.close());

  test('is Secure when the trusted proxy says the request came over https, and only then', async () => {
    const overHttps = await new LearnerBrowser(app.url).fetch('GET', '/api/me', { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(issued(overHttps)?.line ?? '', /; HttpOnly; SameSite=Lax; Secure$/);
    const overHttp = await new LearnerBrowser(app.url).fetch('GET', '/api/me', { headers: { 'x-forwarded-proto': 'http' } });
    assert.match(issued(overHttp)?.line ?? '', COOKIE_SHAPE);
  });
});
