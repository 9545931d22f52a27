import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayOf, inRange, overlaps, overlapsNarrower, SubnetAllocator } from './subnets.ts';

test('cuts a range into consecutive subnets and reuses released ones', () => {
  const subnets = new SubnetAllocator('10.213.0.0/16', 27);
  assert.equal(subnets.take(), '10.213.0.0/27');
  assert.equal(subnets.take(), '10.213.0.32/27');
  subnets.release('10.213.0.0/27');
  assert.equal(subnets.take(), '10.213.0.64/27');
});

test('says when the range is exhausted', () => {
  const subnets = new SubnetAllocator('192.168.7.0/24', 26);
  for (let i = 0; i < 4; i++) subnets.take();
  assert.throws(() => subnets.take(), /all 4 session subnets are in use/);
  subnets.release('192.168.7.128/26');
  assert.equal(subnets.take(), '192.168.7.128/26');
});

test('rejects a prefix wider than the range', () => {
  assert.throws(() => new SubnetAllocator('10.0.0.0/24', 20), /does not fit/);
});

test('skips subnets already held on the engine, and ignores ones outside its range', () => {
  const subnets = new SubnetAllocator('10.213.0.0/16', 27);
  subnets.markUsed('10.213.0.0/27');
  subnets.markUsed('10.213.0.32/27');
  subnets.markUsed('172.17.0.0/16');
  subnets.markUsed('10.213.0.64/24');
  assert.equal(subnets.take(), '10.213.0.64/27');
});

test('the gateway is the first address of a subnet', () => {
  assert.equal(gatewayOf('10.213.0.32/27'), '10.213.0.33');
});

test('tells whether an address lies in a range', () => {
  assert.equal(inRange('10.213.4.1', '10.213.0.0/16'), true);
  assert.equal(inRange('10.214.0.1', '10.213.0.0/16'), false);
  assert.equal(inRange('172.17.0.1', '10.213.0.0/16'), false);
  assert.equal(inRange('10.213.0.33', '10.213.0.32/27'), true);
  assert.equal(inRange('10.213.0.64', '10.213.0.32/27'), false);
});

test("a subnet another engine's bridge holds on this machine is skipped; a LAN as wide as the range is not", () => {
  const range = 16;
  assert.ok(overlapsNarrower('10.213.0.32/27', range, ['10.213.0.33/27']), 'the same /27, another bridge');
  assert.ok(overlapsNarrower('10.213.0.32/27', range, ['10.213.0.1/24']), 'inside a wider bridge of the range');
  assert.ok(overlapsNarrower('10.213.0.0/24', 16, ['10.213.0.97/27']), 'around a narrower one');
  assert.ok(!overlapsNarrower('10.213.0.32/27', range, ['10.213.0.1/27', '172.17.0.1/16', '127.0.0.1/8']), 'neighbours and others');
  assert.ok(!overlapsNarrower('10.213.0.32/27', range, ['10.1.2.3/8', '10.213.7.7/16']), 'a network as wide as the range or wider');
});

test('two ranges overlap when either holds the other', () => {
  assert.equal(overlaps('10.216.3.0/24', '10.0.0.0/8'), true);
  assert.equal(overlaps('10.0.0.0/8', '10.216.3.0/24'), true);
  assert.equal(overlaps('10.216.3.0/24', '10.216.4.0/24'), false);
  assert.equal(overlaps('172.17.0.1/32', '172.17.0.0/16'), true);
});
