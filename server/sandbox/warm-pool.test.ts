import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { WarmPool } from './warm-pool.ts';

function counterPool(size: number) {
  let next = 0;
  const destroyed: number[] = [];
  const pool = new WarmPool<number>({
    size,
    create: async () => next++,
    destroy: async (n) => void destroyed.push(n),
    onError: (err) => assert.fail(String(err)),
  });
  return { pool, destroyed };
}

test('fills to its size and never hands an item out twice', async () => {
  const { pool } = counterPool(3);
  await pool.filled();
  assert.equal(pool.available, 3);
  const seen = new Set<number>();
  for (let i = 0; i < 20; i++) {
    const item = pool.take();
    if (item === undefined) {
      await tick();
      continue;
    }
    assert.ok(!seen.has(item), `item ${item} handed out twice`);
    seen.add(item);
  }
  await pool.filled();
  assert.equal(pool.available, 3);
  await pool.close();
});

test('returns nothing rather than waiting when empty, and refills after a take', async () => {
  const { pool } = counterPool(1);
  assert.equal(pool.take(), undefined);
  await pool.filled();
  assert.equal(pool.take(), 0);
  await pool.filled();
  assert.equal(pool.take(), 1);
  await pool.close();
});

test('close destroys the waiting items and stops refilling', async () => {
  const { pool, destroyed } = counterPool(2);
  await pool.filled();
  await pool.close();
  assert.deepEqual(destroyed.sort(), [0, 1]);
  assert.equal(pool.take(), undefined);
  await tick();
  assert.equal(pool.available, 0);
});

test('stop leaves the waiting items for the next start and makes no more', async () => {
  const { pool, destroyed } = counterPool(2);
  await pool.filled();
  pool.stop();
  assert.equal(pool.take(), 0);
  await tick();
  await tick();
  assert.equal(pool.available, 1, 'no replacement made');
  assert.deepEqual(destroyed, [], 'nothing destroyed');
});

test('a failing factory reports the error and does not spin', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const pool = new WarmPool<number>({
    size: 1,
    create: async () => {
      calls++;
      throw new Error('engine down');
    },
    destroy: async () => {},
    onError: (e) => errors.push(e),
  });
  pool.refill();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(calls, 1);
  assert.equal(errors.length, 1);
  await pool.close();
});

test('close waits for items still being made and destroys them too', async () => {
  const destroyed: number[] = [];
  let finish: (n: number) => void = () => {};
  const pool = new WarmPool<number>({
    size: 1,
    create: () => new Promise<number>((resolve) => (finish = resolve)),
    destroy: async (n) => void destroyed.push(n),
    onError: (err) => assert.fail(String(err)),
  });
  pool.refill();
  let closed = false;
  const closing = pool.close().then(() => (closed = true));
  await tick();
  assert.equal(closed, false, 'close waits while an item is being made');
  finish(7);
  await closing;
  assert.deepEqual(destroyed, [7]);
});

test('discard drops the waiting items that went bad and makes new ones', async () => {
  const { pool, destroyed } = counterPool(2);
  await pool.filled();
  pool.discard((n) => n === 0);
  assert.deepEqual(destroyed, [0]);
  await pool.filled();
  assert.deepEqual([...pool.waiting()].sort(), [1, 2]);
  await pool.close();
});

test('a deferred take makes no replacement until refill is called', async () => {
  let made = 0;
  const pool = new WarmPool<number>({
    size: 2,
    create: async () => made++,
    destroy: async () => {},
    onError: (err) => assert.fail(String(err)),
  });
  await pool.filled();
  assert.equal(made, 2);
  assert.notEqual(pool.take({ deferRefill: true }), undefined);
  assert.notEqual(pool.take({ deferRefill: true }), undefined);
  await tick();
  assert.equal(made, 2, 'nothing made while the session is being set up');
  pool.refill();
  await pool.filled();
  assert.equal(made, 4);
  await pool.close();
});
