import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageRef, sameImage } from './image-ref.ts';

test('image references are split the way the engine reads them', () => {
  assert.deepEqual(parseImageRef('docker.io/library/registry:2'), { repository: 'registry', tag: '2', digest: undefined });
  assert.deepEqual(parseImageRef('127.0.0.1:5000/hello-world'), { repository: '127.0.0.1:5000/hello-world', tag: undefined, digest: undefined });
  assert.deepEqual(parseImageRef('node1:5000/team/app:1.0@sha256:ab'), { repository: 'node1:5000/team/app', tag: '1.0', digest: 'sha256:ab' });
});

test('a name without a tag accepts any tag; a tag given is required', () => {
  assert.ok(sameImage('registry', 'registry:2'));
  assert.ok(sameImage('registry', 'docker.io/library/registry'));
  assert.ok(sameImage('registry:latest', 'registry'));
  assert.ok(!sameImage('registry:2', 'registry'));
  assert.ok(!sameImage('registry', '127.0.0.1:5000/registry'));
  assert.ok(!sameImage('hello-world', 'nginx'));
});
