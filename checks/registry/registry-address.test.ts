import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback, parseRegistryAddress } from './registry-address.ts';
import { nextPage } from './registry-client.ts';

test('registry addresses as learners write them', () => {
  assert.deepEqual(parseRegistryAddress('127.0.0.1:5000'), { hostname: '127.0.0.1', port: 5000, text: '127.0.0.1:5000' });
  assert.deepEqual(parseRegistryAddress('node2:5443'), { hostname: 'node2', port: 5443, text: 'node2:5443' });
  assert.throws(() => parseRegistryAddress('node2'), /not a registry address/);
  assert.ok(isLoopback('localhost') && isLoopback('127.0.0.2') && isLoopback('[::1]'));
  assert.ok(!isLoopback('node1') && !isLoopback('10.0.0.1'));
});

test("the catalog's next page comes from a relative Link header", () => {
  assert.equal(nextPage('</v2/_catalog?last=b&n=2>; rel="next"'), '/v2/_catalog?last=b&n=2');
  assert.equal(nextPage(undefined), undefined);
  assert.equal(nextPage('</v2/_catalog?last=b&n=2>; rel="prev"'), undefined);
});
