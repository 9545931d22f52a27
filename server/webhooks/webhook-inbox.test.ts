import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebhookInbox } from './webhook-inbox.ts';
import { parseEnvelope } from './registry-event.ts';

const push = (repository: string, tag = 'latest') => ({ action: 'push', target: { repository, tag, digest: 'sha256:ab' } });

test('parses a registry notification, keeping the fields a registry sends and nothing else', () => {
  const padding = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
  const parsed = parseEnvelope(
    JSON.stringify({
      events: [{ ...push('hello-world'), actor: { name: 'ann', extra: 'x' }, ...padding, target: { ...push('hello-world').target, ...padding } }],
      ...padding,
    }),
  );
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.events[0], {
    action: 'push',
    target: { repository: 'hello-world', tag: 'latest', digest: 'sha256:ab' },
    actor: { name: 'ann' },
  });
});

test('refuses strings and batches longer than a registry ever sends, naming the field', () => {
  const long = parseEnvelope(JSON.stringify({ events: [push('r'.repeat(257))] }));
  assert.equal(long.ok, false);
  assert.match((long as { reason: string }).reason, /events\.0\.target\.repository: .*256/);
  const many = parseEnvelope(JSON.stringify({ events: Array.from({ length: 101 }, () => push('x')) }));
  assert.match((many as { reason: string }).reason, /events: .*100/);
});

test('says what is wrong with a body that is not a notification', () => {
  assert.deepEqual(parseEnvelope('{'), { ok: false, reason: 'the body is not JSON: a registry sends {"events": [...]}' });
  const missing = parseEnvelope(JSON.stringify({ events: [{ action: 'push', target: {} }] }));
  assert.equal(missing.ok, false);
  assert.match((missing as { reason: string }).reason, /events\.0\.target\.repository/);
});

test('keeps events per session, bounded, and tells subscribers', () => {
  const inbox = new WebhookInbox({ maxEvents: 3 }, () => new Date('2026-01-01T00:00:00Z'));
  const seen: string[] = [];
  const unsubscribe = inbox.subscribe((session, received) => seen.push(`${session}:${received.length}`));
  inbox.record('a', [push('one') as never, push('two') as never]);
  inbox.record('b', [push('other') as never]);
  inbox.record('a', [push('three') as never, push('four') as never]);
  assert.deepEqual(
    inbox.events('a').map((r) => r.event.target.repository),
    ['two', 'three', 'four'],
  );
  assert.equal(inbox.events('b').length, 1);
  assert.equal(inbox.events('a')[0]!.receivedAt, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(seen, ['a:2', 'b:1', 'a:2']);
  unsubscribe();
  inbox.clear('a');
  inbox.record('b', [push('x') as never]);
  assert.deepEqual(inbox.events('a'), []);
  assert.equal(seen.length, 3);
});

const bytesOf = (events: readonly unknown[]) => events.reduce<number>((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0);

test('keeps at most its bytes per session, dropping the oldest, and counts what it keeps', () => {
  const inbox = new WebhookInbox({ sessionBytes: 1000 });
  for (let i = 0; i < 50; i++) assert.deepEqual(inbox.record('a', [push(`repo-${i}`) as never]), { accepted: true });
  const kept = inbox.events('a');
  assert.ok(kept.length > 5 && kept.length < 50, `${kept.length} events kept`);
  assert.equal(kept.at(-1)!.event.target.repository, 'repo-49');
  assert.equal(inbox.bytes('a'), bytesOf(kept));
  assert.ok(inbox.bytes('a') <= 1000);
  assert.equal(inbox.bytes(), inbox.bytes('a'));
  inbox.clear('a');
  assert.equal(inbox.bytes(), 0);
});

test('past the server-wide bytes, refuses a session that would grow but lets a full one rotate', () => {
  const inbox = new WebhookInbox({ sessionBytes: 1000, totalBytes: 1500 });
  const seen: string[] = [];
  inbox.subscribe((session) => seen.push(session));
  for (let i = 0; i < 50; i++) inbox.record('a', [push(`a-${i}`) as never]);
  let refused: { accepted: boolean; reason?: string } = { accepted: true };
  for (let i = 0; i < 50 && refused.accepted; i++) refused = inbox.record('b', [push(`b-${i}`) as never]);
  assert.equal(refused.accepted, false);
  assert.match(refused.reason!, /limit of 1500 bytes .* for all sessions; try again later/);
  assert.ok(inbox.bytes() <= 1500, `${inbox.bytes()} bytes kept`);
  assert.equal(seen.filter((s) => s === 'b').length, inbox.events('b').length, 'a refused event reaches no browser');
  assert.deepEqual(inbox.record('a', [push('a-new') as never]), { accepted: true });
  assert.equal(inbox.events('a').at(-1)!.event.target.repository, 'a-new');
  assert.equal(inbox.bytes(), inbox.bytes('a') + inbox.bytes('b'));
});
