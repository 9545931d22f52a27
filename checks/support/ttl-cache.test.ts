import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TtlCache } from './ttl-cache.ts';

test('keeps a value until it expires or is forgotten, and never keeps a failure', async () => {
  let now = 0;
  let loads = 0;
  const cache = new TtlCache<number>(1000, () => now);
  const load = async () => ++loads;
  assert.equal(await cache.get('ca', load), 1);
  now = 999;
  assert.equal(await cache.get('ca', load), 1);
  now = 1000;
  assert.equal(await cache.get('ca', load), 2, 'expired');
  cache.forget('ca');
  assert.equal(await cache.get('ca', load), 3, 'forgotten');
  await assert.rejects(cache.get('missing', () => Promise.reject(new Error('no file'))));
  assert.equal(await cache.get('missing', load), 4, 'a failed load is tried again');
});
