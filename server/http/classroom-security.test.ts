import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClassBody } from '../../shared/classroom.ts';
import { CookieClient, WatchClient, type Answer } from '../test-support/classroom-client.ts';
import { testLab } from '../test-support/test-lab.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const SECRET = 'correct horse battery staple';

/** Each test comes from addresses of its own (the server trusts X-Forwarded-For here), so the rate limits of one do not touch another. */
const from = (address: string) => ({ 'x-forwarded-for': address });

function errorOf(answer: Answer): { code: string; message: string } {
  return (answer.json as { error: { code: string; message: string } }).error;
}

// The classroom's protections through the real server over real HTTP and WebSocket.
describe('classes and instructors: who may do what', { timeout: 120_000 }, () => {
  let app: TestServer;
  let instructor: CookieClient;
  let learner: CookieClient;
  let klass: ClassBody;

  before(async () => {
    app = await startTestServer({
      labs: [testLab({ id: 'lab-a' }), testLab({ id: 'lab-b' })],
      config: { instructorSecret: SECRET, trustProxy: true },
    });
    instructor = new CookieClient(app.url);
    const signedIn = await instructor.request('POST', '/api/instructor/sign-in', { secret: SECRET }, from('10.0.0.1'));
    assert.equal(signedIn.status, 204);
    assert.match(signedIn.headers.get('set-cookie') ?? '', /^drydock_instructor=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    klass = (await instructor.request('POST', '/api/instructor/classes', { title: 'Registry day', labIds: ['lab-a', 'lab-b'], seats: 3 }))
      .json as ClassBody;
    learner = new CookieClient(app.url);
    assert.equal((await learner.request('POST', '/api/join', { code: klass.code.toLowerCase(), name: 'Ada' }, from('10.0.1.1'))).status, 200);
  });

  after(async () => app?.close());

  const routes = () =>
    [
      ['POST', '/api/instructor/sign-out'],
      ['GET', '/api/instructor/classes'],
      ['POST', '/api/instructor/classes', { title: 'x', labIds: ['lab-a'], seats: 1 }],
      ['GET', `/api/instructor/classes/${klass.id}`],
      ['PATCH', `/api/instructor/classes/${klass.id}`, { joiningOpen: false }],
      ['GET', `/api/instructor/classes/${klass.id}/events`],
      ['GET', `/api/instructor/classes/${klass.id}/progress.csv`],
      ['POST', `/api/instructor/classes/${klass.id}/messages`, { text: 'hello' }],
      ['POST', `/api/instructor/classes/${klass.id}/learners/someone/reset`],
      ['POST', `/api/instructor/classes/${klass.id}/learners/someone/end`],
    ] as const;

  test('a learner’s cookie, no cookie, or a made-up one opens no instructor route', async () => {
    const forged = new CookieClient(app.url);
    const strangers = [learner, new CookieClient(app.url), forged];
    await forged.request('GET', '/api/me');
    for (const [method, path, body] of routes()) {
      for (const client of strangers) {
        const answer = await client.request(method, path, body, client === forged ? { cookie: `drydock_instructor=${'A'.repeat(43)}` } : {});
        assert.equal(answer.status, 401, `${method} ${path}`);
        assert.equal(errorOf(answer).code, 'DD_INSTRUCTOR_SIGN_IN', `${method} ${path}`);
      }
    }
    const watch = await WatchClient.open(app.url, `/api/instructor/classes/${klass.id}/learners/x/watch`, { cookie: learner.cookieHeader });
    assert.equal((watch as { status: number }).status, 401);
    // The instructor's own cookie does open them.
    assert.equal((await instructor.request('GET', `/api/instructor/classes/${klass.id}`)).status, 200);
  });

  test('wrong secrets all get the same 401, then the address waits (429), even with the right one', async () => {
    const guesser = new CookieClient(app.url);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await guesser.request('POST', '/api/instructor/sign-in', { secret: `guess-${i}` }, from('10.0.2.1')));
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.text}`)).size, 1, 'one answer for every wrong secret');
    assert.equal(answers[0]!.status, 401);
    assert.equal(errorOf(answers[0]!).code, 'DD_INSTRUCTOR_SECRET_WRONG');
    const limited = await guesser.request('POST', '/api/instructor/sign-in', { secret: SECRET }, from('10.0.2.1'));
    assert.equal(limited.status, 429);
    assert.equal(errorOf(limited).code, 'DD_GUESS_RATE_LIMITED');
    assert.equal(
      (await guesser.request('POST', '/api/instructor/sign-in', { secret: SECRET }, from('10.0.2.2'))).status,
      204,
      'other addresses are not slowed',
    );
  });

  test('unknown class codes all get the same 404, then the address waits (429), even with a real code', async () => {
    const guesser = new CookieClient(app.url);
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await guesser.request('POST', '/api/join', { code: `ZZZZ${i}`, name: 'Eve' }, from('10.0.3.1')));
    assert.equal(new Set(answers.map((a) => `${a.status} ${a.text}`)).size, 1, 'one answer for every unknown code');
    assert.deepEqual(errorOf(answers[0]!), { code: 'DD_CLASS_CODE_UNKNOWN', message: 'no class has this code; check it with your instructor' });
    const limited = await guesser.request('POST', '/api/join', { code: klass.code, name: 'Eve' }, from('10.0.3.1'));
    assert.equal(limited.status, 429);
    assert.equal((await guesser.request('POST', '/api/join', { code: klass.code, name: 'Eve' }, from('10.0.3.2'))).status, 200);
  });

  test('joining refuses with a reason: closed by the instructor, not open yet, over, full', async () => {
    const create = async (extra: object) =>
      (await instructor.request('POST', '/api/instructor/classes', { title: 'T', labIds: ['lab-a'], seats: 1, ...extra })).json as ClassBody;
    const join = (code: string, client = new CookieClient(app.url)) => client.request('POST', '/api/join', { code, name: 'Bo' }, from('10.0.4.1'));
    const soon = await create({ opensAt: Date.now() + 3_600_000 });
    const over = await create({ closesAt: Date.now() - 1000 });
    const small = await create({});
    const first = new CookieClient(app.url);
    assert.equal((await join(small.code, first)).status, 200);
    const cases: [Answer, number, string][] = [
      [await join(soon.code), 403, 'DD_CLASS_NOT_OPEN'],
      [await join(over.code), 403, 'DD_CLASS_NOT_OPEN'],
      [await join(small.code), 409, 'DD_CLASS_FULL'],
    ];
    await instructor.request('PATCH', `/api/instructor/classes/${small.id}`, { joiningOpen: false });
    cases.push([await join(small.code), 403, 'DD_CLASS_JOINING_CLOSED']);
    for (const [answer, status, code] of cases) {
      assert.equal(answer.status, status, answer.text);
      assert.equal(errorOf(answer).code, code);
    }
    assert.equal((await join(small.code, first)).status, 200, 'a member may come back (and rename) after joining closed');
  });

  test('a bad or oversized request to every new route gets a typed 4xx', async () => {
    const huge = JSON.stringify({ text: 'x'.repeat(20_000) });
    const bodies = [
      ['POST', '/api/instructor/sign-in'],
      ['POST', '/api/instructor/classes'],
      ['PATCH', `/api/instructor/classes/${klass.id}`],
      ['POST', `/api/instructor/classes/${klass.id}/messages`],
      ['POST', '/api/join'],
    ] as const;
    for (const [method, path] of bodies) {
      for (const [body, status, code] of [
        ['{not json', 400, 'DD_BAD_REQUEST'],
        [huge, 413, 'DD_PROTOCOL_TOO_LARGE'],
        [JSON.stringify({ surprise: 1 }), 400, 'DD_BAD_REQUEST'],
      ] as const) {
        const answer = await instructor.request(method, path, body, { 'content-type': 'application/json', ...from('10.0.5.1') });
        assert.equal(answer.status, status, `${method} ${path} ${body.slice(0, 20)}: ${answer.text}`);
        assert.equal(errorOf(answer).code, code);
      }
    }
    const refusals: [Answer, number, string][] = [
      [await instructor.request('POST', '/api/instructor/classes', { title: 'T', labIds: ['no-such-lab'], seats: 1 }), 404, 'DD_LAB_NOT_FOUND'],
      [await instructor.request('POST', '/api/instructor/classes', { title: 'T', labIds: ['lab-a'], seats: 0 }), 400, 'DD_BAD_REQUEST'],
      [
        await instructor.request('POST', '/api/instructor/classes', { title: 'T', labIds: ['lab-a'], seats: 1, opensAt: 2e12, closesAt: 1e12 }),
        400,
        'DD_BAD_REQUEST',
      ],
      [await instructor.request('GET', '/api/instructor/classes/no-such-class'), 404, 'DD_CLASS_NOT_FOUND'],
      [await instructor.request('GET', `/api/instructor/classes/${'x'.repeat(65)}`), 400, 'DD_BAD_REQUEST'],
      [await instructor.request('GET', '/api/instructor/classes/no-such-class/events'), 404, 'DD_CLASS_NOT_FOUND'],
      [await instructor.request('POST', `/api/instructor/classes/${klass.id}/learners/nobody/reset`), 404, 'DD_LEARNER_NOT_IN_CLASS'],
      [
        await instructor.request('POST', `/api/instructor/classes/${klass.id}/messages`, { text: 'hi', learnerId: 'nobody' }),
        404,
        'DD_LEARNER_NOT_IN_CLASS',
      ],
      [await instructor.request('POST', `/api/instructor/classes/${klass.id}/messages`, { text: '   ' }), 400, 'DD_BAD_REQUEST'],
      [await learner.request('POST', '/api/join', { code: klass.code, name: '' }, from('10.0.5.2')), 400, 'DD_BAD_REQUEST'],
      [await learner.request('POST', '/api/join', { code: klass.code, name: 'a\u202eb' }, from('10.0.5.2')), 400, 'DD_BAD_REQUEST'],
    ];
    for (const [answer, status, code] of refusals) {
      assert.equal(answer.status, status, answer.text);
      assert.equal(errorOf(answer).code, code, answer.text);
    }
  });

  test('the progress CSV keeps a learner’s name from running as a formula', async () => {
    const evil = new CookieClient(app.url);
    assert.equal(
      (await evil.request('POST', '/api/join', { code: klass.code, name: '=HYPERLINK("http://evil","x")' }, from('10.0.6.1'))).status,
      200,
    );
    const csv = await instructor.request('GET', `/api/instructor/classes/${klass.id}/progress.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = csv.text.split('\r\n');
    assert.equal(lines[0], 'learner,joined_at,lab,step_number,step_id,step_title,status,first_passed_at,minutes_after_joining');
    // Two learners × two labs × two steps.
    assert.equal(lines.filter((l) => l.startsWith('Ada,')).length, 4);
    const evilRows = lines.filter((l) => l.includes('HYPERLINK'));
    assert.equal(evilRows.length, 4);
    for (const row of evilRows) assert.ok(row.startsWith(`"'=HYPERLINK(""http://evil"",""x"")"`), row);
  });
});
