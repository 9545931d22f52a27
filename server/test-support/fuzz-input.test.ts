import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS, parseClientMessage } from '../../shared/protocol.ts';
import { Rng, fuzzSeed, replayable } from './fuzz-input.ts';
import { clientMessageCase } from './fuzz-messages.ts';
import { httpRequestCase } from './fuzz-requests.ts';

test('the same seed gives the same draws; a fork is its own stream', () => {
  const draws = (rng: Rng) => Array.from({ length: 50 }, () => rng.int(0, 1_000_000));
  assert.deepEqual(draws(new Rng(42)), draws(new Rng(42)));
  assert.notDeepEqual(draws(new Rng(42)), draws(new Rng(43)));
  assert.deepEqual(draws(new Rng(7).fork('ws')), draws(new Rng(7).fork('ws')));
  assert.notDeepEqual(draws(new Rng(7).fork('ws')), draws(new Rng(7).fork('http')));
  const rolls = Array.from({ length: 2000 }, () => new Rng(1).fork(String(Math.random())).int(3, 5));
  assert.deepEqual([...new Set(rolls)].sort(), [3, 4, 5], 'int covers its range, ends included');
});

test('DRYDOCK_FUZZ_SEED replays a run; anything but a 32-bit integer is refused', () => {
  assert.equal(fuzzSeed({ DRYDOCK_FUZZ_SEED: '123' }), 123);
  assert.ok(Number.isInteger(fuzzSeed({})));
  for (const bad of ['-1', '1.5', 'abc', String(2 ** 32)]) assert.throws(() => fuzzSeed({ DRYDOCK_FUZZ_SEED: bad }), /DRYDOCK_FUZZ_SEED/);
});

test('a failure names the seed that replays it', async () => {
  await assert.rejects(
    replayable(99, async () => assert.equal(1, 2)),
    (err: Error) => err.message.includes('DRYDOCK_FUZZ_SEED=99'),
  );
});

// The socket suite counts on each case's expected answer; here the protocol's own parser
// confirms it for many cases, offline, so a generator mistake shows up as itself.
test('every generated message is answered as the generator says, and none types into a known host', () => {
  const rng = new Rng(fuzzSeed()).fork('generator-check');
  const known = ['node1', 'node2'];
  const kinds = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    const c = clientMessageCase(rng, known);
    kinds.add(c.kind);
    const what = `${c.kind}: ${c.payload.toString('utf8').slice(0, 120)}`;
    if (c.binary) {
      assert.equal(c.expect, 'DD_PROTOCOL_INVALID', what);
      continue;
    }
    if (c.expect === 'DD_PROTOCOL_TOO_LARGE') {
      assert.ok(c.payload.length > LIMITS.messageBytes, what);
      continue;
    }
    assert.ok(c.payload.length <= LIMITS.messageBytes, what);
    const parsed = parseClientMessage(c.payload.toString('utf8'));
    if (c.expect === 'DD_PROTOCOL_INVALID') {
      assert.equal(parsed.ok, false, what);
      continue;
    }
    assert.ok(parsed.ok, what);
    const message = parsed.message;
    assert.ok(message.type !== 'input' || !known.includes(message.host), `input for a real host: ${what}`);
    if (c.expect === 'DD_HOST_UNKNOWN') assert.ok(message.type !== 'check' && !known.includes(message.host), what);
    else assert.ok(['ack', 'restart', 'check'].includes(message.type), what);
  }
  assert.equal(kinds.size, 12, `every family appears: ${[...kinds].join(', ')}`);
});

test('the real session token rides only on requests that cannot end, reset or take over the session', () => {
  const rng = new Rng(fuzzSeed()).fork('requests-check');
  const target = { sessionId: 'the-session', token: 'the!real!token', hosts: ['node1'] };
  let carried = 0;
  for (let i = 0; i < 3000; i++) {
    const c = httpRequestCase(rng, target);
    const request = c.bytes.toString('latin1');
    assert.equal(c.carriesToken, request.includes(target.token), request.slice(0, 200));
    if (!c.carriesToken) continue;
    carried++;
    // An upgrade never reaches the routes; it must only fail as a handshake.
    if (/^Upgrade:/im.test(request)) assert.doesNotMatch(request, /^Sec-WebSocket-Version: (13|8)\r$/m, request.slice(0, 400));
    else assert.ok(!request.startsWith('DELETE ') && !c.path.includes('/reset'), request.slice(0, 200));
  }
  assert.ok(carried > 100, `the token rode on ${carried} requests`);
});
