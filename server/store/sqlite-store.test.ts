import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createLogger } from '../logging/logger.ts';
import { openStore } from './open-store.ts';
import type { SqliteStore } from './sqlite-store.ts';
import type { ClassRecord } from './store.ts';

const log = createLogger('silent');
let dir: string;
let store: SqliteStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-store-'));
  store = openStore(join(dir, 'data'), log);
});
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function aClass(id: string, seats: number): ClassRecord {
  return {
    id,
    title: `Class ${id}`,
    code: `CODE${id}`,
    labIds: ['lab-a', 'lab-b'],
    seats,
    opensAt: null,
    closesAt: 5000,
    joiningOpen: true,
    createdAt: 100,
  };
}

test('a learner is created once and keeps its first creation time', async () => {
  const first = await store.ensureLearner('l-1', 10);
  const again = await store.ensureLearner('l-1', 20);
  assert.deepEqual(first, { id: 'l-1', name: '', createdAt: 10 });
  assert.deepEqual(again, first);
  assert.equal(await store.getLearner('nobody'), undefined);
});

test('a class reads back as written, by id, by code and in the list; joining can be closed', async () => {
  await store.createClass(aClass('c-read', 3));
  assert.deepEqual(await store.getClass('c-read'), aClass('c-read', 3));
  assert.deepEqual(await store.getClassByCode('CODEc-read'), aClass('c-read', 3));
  assert.ok((await store.listClasses()).some((c) => c.id === 'c-read'));
  await store.setJoiningOpen('c-read', false);
  assert.equal((await store.getClass('c-read'))?.joiningOpen, false);
});

test('joining takes a seat, rejoining renames without one, and a full class refuses newcomers', async () => {
  await store.createClass(aClass('c-seats', 2));
  for (const id of ['s-1', 's-2', 's-3']) await store.ensureLearner(id, 1);
  assert.equal(await store.joinClass({ classId: 'c-seats', learnerId: 's-1', name: 'Ada', joinedAt: 1 }), 'joined');
  assert.equal(await store.joinClass({ classId: 'c-seats', learnerId: 's-2', name: 'Bob', joinedAt: 2 }), 'joined');
  assert.equal(await store.joinClass({ classId: 'c-seats', learnerId: 's-3', name: 'Cy', joinedAt: 3 }), 'full');
  assert.equal(await store.joinClass({ classId: 'c-seats', learnerId: 's-1', name: 'Ada L.', joinedAt: 4 }), 'rejoined');
  assert.deepEqual(
    (await store.members('c-seats')).map((m) => [m.learnerId, m.name, m.joinedAt]),
    [
      ['s-1', 'Ada L.', 1],
      ['s-2', 'Bob', 2],
    ],
  );
  assert.equal((await store.getLearner('s-1'))?.name, 'Ada L.', 'the learner takes the name given when joining');
  assert.deepEqual(
    (await store.classesOf('s-1')).map((c) => c.id),
    ['c-seats'],
  );
  assert.deepEqual(await store.classesOf('s-3'), []);
});

test('each last seat goes to exactly one of the learners joining at once from other connections', async () => {
  // Worker threads hold their own connections to the same file, as a second process would;
  // they join the same one-seat classes in the same order, so their joins keep colliding.
  const file = join(dir, 'data', 'drydock.db');
  const classIds = Array.from({ length: 100 }, (_, i) => `c-race-${i}`);
  for (const id of classIds) await store.createClass({ ...aClass(id, 1), code: id });
  const racers = Array.from({ length: 4 }, (_, i) => `race-${i}`);
  for (const id of racers) await store.ensureLearner(id, 1);
  const go = new SharedArrayBuffer(8);
  const flags = new Int32Array(go);
  // Node 20 workers do not inherit tsx's loader: register it, then load the TypeScript worker.
  const worker = `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(new URL('../test-support/store-join-worker.ts', import.meta.url).href)}));`;
  const results = racers.map(
    (learnerId) =>
      new Promise<string[]>((resolve, reject) => {
        const thread = new Worker(worker, { eval: true, workerData: { file, classIds, learnerId, go } });
        thread.once('message', resolve);
        thread.once('error', reject);
      }),
  );
  while (Atomics.load(flags, 1) < racers.length) await new Promise((r) => setTimeout(r, 20));
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  const answers = await Promise.all(results);
  for (const [i, id] of classIds.entries()) {
    assert.equal((await store.members(id)).length, 1, `${id} has one member`);
    assert.equal(answers.filter((a) => a[i] === 'joined').length, 1, `${id} was joined once`);
  }
});

test('a step pass is recorded once: the first time wins, later passes are not', async () => {
  await store.ensureLearner('p-1', 1);
  assert.equal(await store.recordStepPassed({ learnerId: 'p-1', labId: 'lab-a', stepId: 'one', firstPassedAt: 100 }), true);
  assert.equal(await store.recordStepPassed({ learnerId: 'p-1', labId: 'lab-a', stepId: 'one', firstPassedAt: 200 }), false);
  assert.equal(await store.recordStepPassed({ learnerId: 'p-1', labId: 'lab-b', stepId: 'one', firstPassedAt: 300 }), true);
  assert.deepEqual(await store.stepPasses('p-1', 'lab-a'), [{ learnerId: 'p-1', labId: 'lab-a', stepId: 'one', firstPassedAt: 100 }]);
  assert.equal((await store.stepPasses('p-1')).length, 2);
});

test('a class sees the first passes of its members only', async () => {
  await store.createClass(aClass('c-pass', 5));
  for (const id of ['cp-in', 'cp-out']) await store.ensureLearner(id, 1);
  await store.joinClass({ classId: 'c-pass', learnerId: 'cp-in', name: 'In', joinedAt: 1 });
  await store.recordStepPassed({ learnerId: 'cp-in', labId: 'lab-a', stepId: 'one', firstPassedAt: 10 });
  await store.recordStepPassed({ learnerId: 'cp-out', labId: 'lab-a', stepId: 'one', firstPassedAt: 11 });
  assert.deepEqual(
    (await store.classStepPasses('c-pass')).map((p) => p.learnerId),
    ['cp-in'],
  );
});

test('a pass or a member needs a known learner (foreign keys are on)', async () => {
  await assert.rejects(store.recordStepPassed({ learnerId: 'ghost', labId: 'lab-a', stepId: 'one', firstPassedAt: 1 }), /FOREIGN KEY/);
});

test('a session record is saved, patched and removed', async () => {
  await store.ensureLearner('sess-l', 1);
  const record = {
    id: 's-1',
    learnerId: 'sess-l',
    classId: null,
    address: '203.0.113.7',
    labId: 'lab-a',
    tokenDigest: 'ab'.repeat(32),
    hostGroupId: 'g-1',
    hostNames: ['node1', 'node2'],
    startedAt: 1,
    expiresAt: 2,
    maxExpiresAt: 3,
  };
  await store.saveSession(record);
  await store.updateSession('s-1', { expiresAt: 20, hostGroupId: 'g-2', hostNames: ['node1'] });
  assert.deepEqual(await store.sessions(), [{ ...record, expiresAt: 20, hostGroupId: 'g-2', hostNames: ['node1'] }]);
  await store.removeSession('s-1');
  assert.deepEqual(await store.sessions(), []);
});

test('settings are small named values, replaced when set again', async () => {
  assert.equal(await store.getSetting('instructor'), undefined);
  await store.setSetting('instructor', 'one');
  await store.setSetting('instructor', 'two');
  assert.equal(await store.getSetting('instructor'), 'two');
});
