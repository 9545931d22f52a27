import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../logging/logger.ts';
import { openStore } from '../store/open-store.ts';
import { testLab } from '../test-support/test-lab.ts';
import { LearnerProgress } from './learner-progress.ts';

const dir = await mkdtemp(join(tmpdir(), 'drydock-progress-'));
const store = openStore(dir, createLogger('silent'));
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const labs = new Map([testLab({ id: 'three', steps: 3 }), testLab({ id: 'one', steps: 1 })].map((l) => [l.id, l]));
let clock = 1000;
const progress = new LearnerProgress({ store, labs, log: createLogger('silent'), now: () => clock });

test('a pass is recorded the first time only, and shown as earlier to the next session', async () => {
  const first = await progress.ofLab('ada', 'three');
  assert.equal(first.earlier('step-1'), undefined);
  first.passed('step-1');
  clock = 2000;
  first.passed('step-1');
  await new Promise((r) => setImmediate(r));
  const next = await progress.ofLab('ada', 'three');
  assert.equal(next.earlier('step-1'), 1000, 'the first pass, not the second');
  assert.deepEqual(await store.stepPasses('ada'), [{ learnerId: 'ada', labId: 'three', stepId: 'step-1', firstPassedAt: 1000 }]);
});

test('/api/me: per lab, the steps passed and, once each passed, when the lab was finished', async () => {
  const one = await progress.ofLab('bob', 'one');
  clock = 5000;
  one.passed('step-1');
  const three = await progress.ofLab('bob', 'three');
  clock = 6000;
  three.passed('step-2');
  // A step the lab no longer has (an edited lab) counts for nothing; a lab the server no longer has is left out.
  await store.recordStepPassed({ learnerId: 'bob', labId: 'three', stepId: 'step-gone', firstPassedAt: 6500 });
  await store.recordStepPassed({ learnerId: 'bob', labId: 'removed-lab', stepId: 'x', firstPassedAt: 6600 });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(await progress.me('bob'), {
    name: '',
    classes: [],
    progress: [
      { labId: 'one', passed: [{ stepId: 'step-1', firstPassedAt: 5000 }], stepCount: 1, finishedAt: 5000 },
      { labId: 'three', passed: [{ stepId: 'step-2', firstPassedAt: 6000 }], stepCount: 3 },
    ],
  });
});

test('/api/me: the name given when joining a class, and the classes', async () => {
  await store.createClass({
    id: 'c1',
    title: 'Monday',
    code: 'MONDAY',
    labIds: ['one'],
    seats: 5,
    opensAt: null,
    closesAt: null,
    joiningOpen: true,
    createdAt: 1,
  });
  await store.joinClass({ classId: 'c1', learnerId: 'bob', name: 'Bob B.', joinedAt: 2 });
  const me = await progress.me('bob');
  assert.equal(me.name, 'Bob B.');
  assert.deepEqual(me.classes, [{ id: 'c1', title: 'Monday', labIds: ['one'] }]);
});
