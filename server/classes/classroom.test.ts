import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StartedSessionBody } from '../../shared/api.ts';
import type { ClassBody, ClassFeedEvent, LearnerRowBody } from '../../shared/classroom.ts';
import { ClassFeedReader, CookieClient, WatchClient } from '../test-support/classroom-client.ts';
import { inlineLab, inlineStep, parseInline } from '../test-support/inline-lab.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { NodeSessionClient } from '../verify/node-session-client.ts';

const SECRET = 'correct horse battery staple';
const LAB = inlineLab(
  inlineStep({ title: 'Make one', check: '- kind: file-exists\n  path: /root/one', solution: 'touch /root/one' }) +
    '\n' +
    inlineStep({ title: 'Make two', check: '- kind: file-exists\n  path: /root/two', solution: 'touch /root/two' }),
  { id: 'two-marks' },
);

const rowOf = (learnerId: string, match: (row: LearnerRowBody) => boolean) => (e: ClassFeedEvent) =>
  e.type === 'row' && e.row.learnerId === learnerId && match(e.row);

// The live class view, messages, watching, reset and end, against a real lab host through the real server.
describe('a class, live', { timeout: 240_000 }, () => {
  let app: TestServer;
  let instructor: CookieClient;
  let learner: CookieClient;
  let learnerId: string;
  let klass: ClassBody;
  let feed: ClassFeedReader;
  let started: StartedSessionBody;
  let client: NodeSessionClient;

  before(async () => {
    const { lab } = parseInline(LAB);
    app = await startTestServer({ labs: [lab!], checks: true, config: { instructorSecret: SECRET, stuckFailures: 2 } });
    instructor = new CookieClient(app.url);
    await instructor.request('POST', '/api/instructor/sign-in', { secret: SECRET });
    klass = (await instructor.request('POST', '/api/instructor/classes', { title: 'Marks', labIds: ['two-marks'], seats: 5 })).json as ClassBody;
    feed = await ClassFeedReader.open(instructor, klass.id);
    learner = new CookieClient(app.url);
  });

  after(async () => {
    feed?.close();
    await client?.close();
    await app?.close();
  });

  test('a snapshot, then a row as the learner joins, starts, connects and passes a step (within a second)', async () => {
    assert.equal(feed.status, 200);
    const snapshot = await feed.next((e) => e.type === 'snapshot', 'the snapshot');
    assert.deepEqual((snapshot.event as Extract<ClassFeedEvent, { type: 'snapshot' }>).rows, []);

    assert.equal((await learner.request('POST', '/api/join', { code: klass.code, name: 'Ada' })).status, 200);
    const joined = await feed.next((e) => e.type === 'row' && e.row.name === 'Ada', 'the new member’s row');
    learnerId = (joined.event as Extract<ClassFeedEvent, { type: 'row' }>).row.learnerId;
    await feed.next((e) => e.type === 'class' && e.class.memberCount === 1, 'the class with its new member');

    const start = await learner.request('POST', '/api/sessions', { labId: 'two-marks' });
    assert.equal(start.status, 201, start.text);
    started = start.json as StartedSessionBody;
    await feed.next(
      rowOf(learnerId, (r) => r.sessionId === started.session.id && r.stepTitle === 'Make one' && !r.connected),
      'the session’s row',
    );
    client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
    await feed.next(
      rowOf(learnerId, (r) => r.connected),
      'connected',
    );
    await client.waitFor(() => client.text(0).includes('root@node1'), 'the prompt');

    let passedAt = 0;
    client.onMessage = (m) => {
      if (m.type === 'steps' && m.steps[0]?.status === 'passed' && !passedAt) passedAt = performance.now();
    };
    client.input('node1', 'touch /root/one\r');
    const moved = await feed.next(
      rowOf(learnerId, (r) => r.stepIndex === 1),
      'the row on step two',
    );
    const row = (moved.event as Extract<ClassFeedEvent, { type: 'row' }>).row;
    assert.equal(row.stepTitle, 'Make two');
    assert.deepEqual([row.passingNow, row.passedEver, row.stepCount], [1, 1, 2]);
    assert.ok(passedAt > 0 && moved.at - passedAt < 1000, `the row came ${Math.round(moved.at - passedAt)} ms after the learner saw the step pass`);
  });

  test('the same check failing on the learner’s own tries marks them stuck, with the sentence they see', async () => {
    const failed = () => client.of('steps').filter((m) => m.steps[1]?.status === 'failing').length;
    for (let i = 1; i <= 2; i++) {
      const before = failed();
      client.send({ type: 'check' });
      await client.waitFor(() => failed() > before, `failing check ${i}`);
    }
    const seen = client.of('steps').find((m) => m.steps[1]?.status === 'failing')!.steps[1]!.message!;
    assert.equal(seen, 'there is no /root/two in node1');
    const stuck = await feed.next(
      rowOf(learnerId, (r) => r.stuck !== null && r.failing !== null),
      'the stuck row',
    );
    const row = (stuck.event as Extract<ClassFeedEvent, { type: 'row' }>).row;
    assert.equal(row.failing, seen);
    assert.equal(row.stuck?.reason, 'repeated-failure');
    assert.match(row.stuck?.text ?? '', /^the same check failed [2-9] times in a row$/);
  });

  test('a message reaches the learner’s lab view, to them or to the whole class', async () => {
    const notices = () => client.of('notice').map((n) => n.text);
    assert.equal(
      (await instructor.request('POST', `/api/instructor/classes/${klass.id}/messages`, { text: 'Look at step two', learnerId })).status,
      204,
    );
    assert.equal((await instructor.request('POST', `/api/instructor/classes/${klass.id}/messages`, { text: 'Break at 11' })).status, 204);
    await client.waitFor(() => notices().length === 2, 'both notices');
    assert.deepEqual(notices(), ['Look at step two', 'Break at 11']);
  });

  test('watching is read-only, checked for origin and sign-in, and a slow watcher never slows the learner', async () => {
    const path = `/api/instructor/classes/${klass.id}/learners/${learnerId}/watch`;
    const foreign = await WatchClient.open(app.url, path, { cookie: instructor.cookieHeader, origin: 'https://evil.example' });
    assert.equal((foreign as { status: number }).status, 403);
    assert.equal(((await WatchClient.open(app.url, path, { cookie: learner.cookieHeader, origin: app.url })) as { status: number }).status, 401);

    const watcher = (await WatchClient.open(app.url, path, { cookie: instructor.cookieHeader, origin: app.url })) as WatchClient;
    await watcher.until(() => watcher.messages.some((m) => m.type === 'attached') && watcher.text().includes('root@node1'), 'the terminal');
    assert.deepEqual(
      watcher.messages.slice(0, 2).map((m) => m.type),
      ['session', 'steps'],
    );
    client.input('node1', 'echo watched-$((6*7))\r');
    await watcher.until(() => watcher.text().includes('watched-42'), 'the learner’s command, live');

    watcher.ws.send(JSON.stringify({ type: 'input', host: 'node1', data: 'touch /root/hacked\r' }));
    await watcher.until(() => watcher.closedWith !== undefined, 'the refusal');
    assert.equal(watcher.closedWith?.code, 1008);
    assert.ok(watcher.messages.some((m) => m.type === 'error' && /read-only/.test(m.message)));
    client.input('node1', 'ls /root/hacked; echo ls-exit-$?\r');
    await client.waitFor(() => /ls-exit-2/.test(client.text(0)), 'the file the watcher tried to make is not there');

    // A watcher that stops reading: dropped, while the learner's flood runs at the learner's pace.
    const slow = (await WatchClient.open(app.url, path, { cookie: instructor.cookieHeader, origin: app.url })) as WatchClient;
    await slow.until(() => slow.text().includes('ls-exit'), 'the slow watcher’s replay');
    slow.ws.pause();
    client.input('node1', 'head -c 6000000 /dev/zero | base64 -w 200; echo flood-$((2+3))\r');
    await client.waitFor(() => client.text(0).includes('flood-5'), 'the learner’s whole flood', 60_000);
    slow.ws.resume();
    await slow.until(() => slow.closedWith !== undefined, 'the slow watcher dropped');
    assert.equal(slow.closedWith?.code, 1006, 'terminated, not closed politely');
  });

  test('another learner can neither watch nor control this learner’s session', async () => {
    const other = new CookieClient(app.url);
    await other.request('POST', '/api/join', { code: klass.code, name: 'Eve' });
    const own = (await other.request('POST', '/api/sessions', { labId: 'two-marks' })).json as StartedSessionBody;
    const path = `/api/instructor/classes/${klass.id}/learners/${learnerId}`;
    assert.equal(((await WatchClient.open(app.url, `${path}/watch`, { cookie: other.cookieHeader })) as { status: number }).status, 401);
    assert.equal((await other.request('POST', `${path}/reset`)).status, 401);
    const withOwnToken = await other.request('POST', `/api/sessions/${started.session.id}/reset`, undefined, {
      authorization: `Bearer ${own.token}`,
    });
    assert.equal(withOwnToken.status, 404);
    assert.equal(client.of('session').at(-1)?.session.state, 'ready');
  });

  test('reset and end from the row; the CSV has the first pass', async () => {
    const path = `/api/instructor/classes/${klass.id}/learners/${learnerId}`;
    assert.equal((await instructor.request('POST', `${path}/reset`)).status, 204);
    await client.waitFor(() => client.of('session').some((m) => m.session.state === 'resetting'), 'the reset');
    await feed.next(
      rowOf(learnerId, (r) => r.stepIndex === 0 && r.passedEver === 1 && r.stuck === null),
      'the row after the reset',
    );

    const csv = await instructor.request('GET', `/api/instructor/classes/${klass.id}/progress.csv`);
    const ada = csv.text.split('\r\n').filter((l) => l.startsWith('Ada,'));
    assert.equal(ada.length, 2);
    assert.match(ada[0]!, /^Ada,[^,]+,two-marks,1,[^,]+,Make one,passed,\d{4}-\d\d-\d\dT[^,]+Z,\d+(\.\d)?$/);
    assert.match(ada[1]!, /,Make two,not passed,,$/);

    assert.equal((await instructor.request('POST', `${path}/end`)).status, 204);
    await client.waitFor(() => client.of('ended').length === 1, 'the end');
    await feed.next(
      rowOf(learnerId, (r) => r.sessionId === null),
      'the row without a session',
    );
  });
});
