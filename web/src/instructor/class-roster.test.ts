import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClassBody, LearnerRowBody } from '../../../shared/classroom.ts';
import { ClassRoster } from './class-roster.ts';

const klass: ClassBody = {
  id: 'c1',
  title: 'Registry day',
  labIds: ['registry-basics'],
  code: 'K7PQ2M',
  joinPath: '/#/join/K7PQ2M',
  seats: 30,
  opensAt: null,
  closesAt: null,
  joiningOpen: true,
  createdAt: 1,
  memberCount: 2,
};

function row(learnerId: string, joinedAt: number, extra: Partial<LearnerRowBody> = {}): LearnerRowBody {
  return {
    learnerId,
    name: learnerId,
    joinedAt,
    sessionId: null,
    labId: null,
    stepIndex: null,
    stepTitle: null,
    stepSince: null,
    passingNow: 0,
    passedEver: 0,
    stepCount: 0,
    failing: null,
    stuck: null,
    connected: false,
    ...extra,
  };
}

test('a snapshot replaces everything; rows stay in the order learners joined', () => {
  const roster = new ClassRoster();
  roster.apply({ type: 'snapshot', class: klass, rows: [row('b', 20), row('a', 10)], serverNow: 0 });
  assert.deepEqual(
    roster.ordered().map((r) => r.learnerId),
    ['a', 'b'],
  );
  assert.deepEqual(roster.apply({ type: 'snapshot', class: klass, rows: [row('c', 5)], serverNow: 0 }), { all: true });
  assert.deepEqual(
    roster.ordered().map((r) => r.learnerId),
    ['c'],
  );
});

test('a changed row redraws only itself; a new learner redraws the table; a class event only the class', () => {
  const roster = new ClassRoster();
  roster.apply({ type: 'snapshot', class: klass, rows: [row('a', 10)], serverNow: 0 });
  const changed = row('a', 10, { passingNow: 1 });
  assert.deepEqual(roster.apply({ type: 'row', row: changed, serverNow: 0 }), { all: false, row: changed, classChanged: false });
  assert.equal(roster.get('a')?.passingNow, 1);
  assert.deepEqual(roster.apply({ type: 'row', row: row('b', 30), serverNow: 0 }), { all: true });
  assert.equal(roster.size, 2);
  assert.deepEqual(roster.apply({ type: 'class', class: { ...klass, joiningOpen: false } }), { all: false, classChanged: true });
  assert.equal(roster.class?.joiningOpen, false);
});
