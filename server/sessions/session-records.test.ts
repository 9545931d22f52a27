import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionRecord } from '../store/store.ts';
import { restorableRecords } from './session-records.ts';

const record = (id: string, change: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  learnerId: 'learner',
  classId: null,
  address: '203.0.113.7',
  labId: 'two-hosts',
  tokenDigest: '00',
  hostGroupId: `hosts-${id}`,
  hostNames: ['node1', 'node2'],
  startedAt: 0,
  expiresAt: 1_000,
  maxExpiresAt: 2_000,
  ...change,
});

test('a restarted server takes over the recorded sessions still within their lifetime, of a lab it has with the same hosts', () => {
  const labs = [{ id: 'two-hosts', hosts: ['node1', 'node2'] }];
  const { restorable, stale } = restorableRecords(
    [
      record('live'),
      record('expired', { expiresAt: 500 }),
      record('lab-gone', { labId: 'removed-lab' }),
      record('hosts-changed', { hostNames: ['node1'] }),
    ],
    labs,
    500,
  );
  assert.deepEqual(
    restorable.map((r) => r.id),
    ['live'],
  );
  assert.deepEqual(
    stale.map((r) => r.id),
    ['expired', 'lab-gone', 'hosts-changed'],
  );
});
