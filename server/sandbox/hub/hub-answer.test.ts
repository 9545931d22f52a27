import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedHubState } from './hub-state.ts';
import { answerHub, type HubState } from './hub-answer.ts';

const offline: HubState = { images: ['debian:bookworm-slim', 'hello-world', 'nginx', 'registry', 'registry:2'], upstream: '' };
const message = (path: string, state = offline, method = 'GET') =>
  (answerHub(method, path, false, state).body as { errors: { code: string; message: string }[] }).errors[0]!;

test('a manifest names the image as the learner wrote it, and what the mirror has', () => {
  assert.deepEqual(message('/v2/library/alpine/manifests/3.19'), {
    code: 'MANIFEST_UNKNOWN',
    message:
      'this Drydock runs offline: alpine:3.19 is not in its mirror; images here: debian:bookworm-slim, hello-world, nginx, registry, registry:2 (ask whoever runs Drydock to add it)',
  });
  assert.match(message('/v2/myorg/tool/manifests/latest').message, /: myorg\/tool is not in its mirror/);
  assert.match(message('/v2/library/alpine/manifests/sha256:abc').message, /: alpine is not in its mirror/);
  assert.equal(message('/v2/library/alpine/blobs/sha256:abc').code, 'BLOB_UNKNOWN');
});

test('online, a long list, a mirror that does not answer', () => {
  assert.match(
    message('/v2/library/nosuch/manifests/1', { ...offline, upstream: 'https://registry-1.docker.io' }).message,
    /nosuch:1 is neither in its mirror nor at https:\/\/registry-1\.docker\.io/,
  );
  const many = { images: Array.from({ length: 40 }, (_, i) => `img${i}`), upstream: '' };
  assert.match(message('/v2/library/x/manifests/1', many).message, /img24 and 15 more \(ask/);
  assert.match(
    message('/v2/library/x/manifests/1', { images: undefined, upstream: '' }).message,
    /images here: \(the mirror does not answer right now\)/,
  );
});

test('reads only: writes get 405, /v2/ a token challenge, a login 401', () => {
  assert.equal(answerHub('POST', '/v2/library/x/blobs/uploads/', false, offline).status, 405);
  assert.equal(answerHub('PUT', '/v2/library/x/manifests/1', false, offline).status, 405);
  assert.match(answerHub('GET', '/v2/', false, offline).headers!['www-authenticate']!, /^Bearer realm="https:\/\/registry-1\.docker\.io\/token"/);
  assert.equal(answerHub('GET', '/token', false, offline).status, 200);
  assert.equal(answerHub('GET', '/token', true, offline).status, 401);
});

test('the mirror is read at most every ten seconds', async () => {
  let reads = 0;
  let now = 0;
  const state = cachedHubState(
    async () => ({ ...offline, images: [`read ${++reads}`] }),
    () => now,
  );
  await state();
  now = 9_000;
  assert.deepEqual((await state()).images, ['read 1']);
  now = 10_001;
  assert.deepEqual((await state()).images, ['read 2']);
});
