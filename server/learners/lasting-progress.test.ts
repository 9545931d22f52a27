import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StartedSessionBody } from '../../shared/api.ts';
import type { MeBody } from '../../shared/classroom.ts';
import type { StepStatus } from '../../shared/protocol.ts';
import { markLab, parseInline } from '../test-support/inline-lab.ts';
import { LearnerBrowser } from '../test-support/learner-browser.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { NodeSessionClient } from '../verify/node-session-client.ts';

// Progress outlives the session and the server: a learner back after a restart sees what they passed.
describe('progress that lasts', { timeout: 240_000 }, () => {
  const lab = parseInline(markLab('lasting')).lab!;
  const stepId = lab.steps[0]!.id;
  let dataDir: string;
  let app: TestServer | undefined;
  const browser = new LearnerBrowser('');

  const startServer = async () => {
    app = await startTestServer({ labs: [lab], checks: true, dataDir });
    browser.baseUrl = app.url;
    return app;
  };

  /** Starts the lab as the browser does, attaches, and waits for the first steps message. */
  const openLab = async (server: TestServer) => {
    const started = await browser.json<StartedSessionBody>('POST', '/api/sessions', { labId: lab.id });
    const client = await NodeSessionClient.connect(server.url, started.session.id, started.token);
    await client.waitFor(() => client.of('attached').length === 1 && client.of('steps').length > 0, 'the terminal and the steps');
    return { started, client, steps: (): StepStatus | undefined => client.of('steps').at(-1)?.steps[0] };
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'drydock-lasting-'));
  });
  after(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a step passed in one session is recorded once, with the time it first passed', async () => {
    const server = await startServer();
    const { started, client, steps } = await openLab(server);
    assert.deepEqual(started.steps, [{ status: 'pending' }], 'nothing passed before');
    client.input('node1', 'touch /root/mark\r');
    await client.waitFor(() => steps()?.status === 'passed', 'the step to pass', 20_000);
    assert.equal(steps()?.passedBefore, undefined, 'passing now for the first time is not "before"');
    const me = await browser.json<MeBody>('GET', '/api/me');
    assert.equal(me.progress.length, 1);
    const [progress] = me.progress;
    assert.deepEqual(
      progress?.passed.map((p) => p.stepId),
      [stepId],
    );
    assert.equal(progress?.stepCount, 1);
    assert.equal(progress?.finishedAt, progress?.passed[0]?.firstPassedAt, 'the lab is finished when its last step first passed');
    await client.close();
  });

  test('after a restart on the same data dir, the learner sees it as passed before, in /api/me and in a fresh session', async () => {
    const before = await browser.json<MeBody>('GET', '/api/me');
    await app!.close();
    app = undefined;
    const server = await startServer();
    assert.deepEqual(await browser.json<MeBody>('GET', '/api/me'), before, 'the same learner, the same progress');
    const firstPassedAt = before.progress[0]!.passed[0]!.firstPassedAt;

    const { started, client, steps } = await openLab(server);
    assert.deepEqual(started.steps, [{ status: 'pending', passedBefore: firstPassedAt }], 'fresh hosts, the step shown as done before');
    assert.deepEqual(steps(), { status: 'pending', passedBefore: firstPassedAt }, 'the socket says the same');

    client.input('node1', 'touch /root/mark\r');
    await client.waitFor(() => steps()?.status === 'passed', 'the step to pass again', 20_000);
    assert.deepEqual(steps(), { status: 'passed', passedBefore: firstPassedAt });
    const passes = await server.store.stepPasses(server.sessions.authorize(started.session.id, started.token).owner.learnerId);
    assert.deepEqual(
      passes.map((p) => [p.stepId, p.firstPassedAt]),
      [[stepId, firstPassedAt]],
      'the first pass is kept, not overwritten',
    );
    await client.close();
  });
});
