import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookInbox } from './hook-inbox.ts';
import { parseEnvelope } from './registry-event.ts';

const push = (repository: string, tag = 'latest') => ({ action: 'push', target: { repository, tag, digest: 'sha256:ab' } });

test('parses a registry notification and keeps fields it does not know', () => {
  const parsed = parseEnvelope(JSON.stringify({ events: [{ ...push('hello-world'), actor: { name: 'ann' } }] }));
  assert.ok(parsed.ok);
  assert.equal(parsed.events[0]!.target.repository, 'hello-world');
  assert.deepEqual((parsed.events[0] as Record<string, unknown>).actor, { name: 'ann' });
});

test('says what is wrong with a body that is not a notification', () => {
  assert.deepEqual(parseEnvelope('{'), { ok: false, reason: 'the body is not JSON: a registry sends {"events": [...]}' });
  const missing = parseEnvelope(JSON.stringify({ events: [{ action: 'push', target: {} }] }));
  assert.equal(missing.ok, false);
  assert.match((missing as { reason: string }).reason, /events\.0\.target\.repository/);
});

test('keeps events per session, bounded, and tells subscribers', () => {
  const inbox = new HookInbox(3, () => new Date('2026-01-01T00:00:00Z'));
  const seen: string[] = [];
  const unsubscribe = inbox.subscribe((session, received) => seen.push(`${session}:${received.length}`));
  inbox.record('a', [push('one') as never, push('two') as never]);
  inbox.record('b', [push('other') as never]);
  inbox.record('a', [push('three') as never, push('four') as never]);
  assert.deepEqual(inbox.events('a').map((r) => r.event.target.repository), ['two', 'three', 'four']);
  assert.equal(inbox.events('b').length, 1);
  assert.equal(inbox.events('a')[0]!.receivedAt, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(seen, ['a:2', 'b:1', 'a:2']);
  unsubscribe();
  inbox.clear('a');
  inbox.record('b', [push('x') as never]);
  assert.deepEqual(inbox.events('a'), []);
  assert.equal(seen.length, 3);
});
