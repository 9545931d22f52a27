import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { drydock } from '../test-support/drydock-cli.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { ownedResources } from '../test-support/sandbox.ts';

describe('drydock verify --server', { timeout: 300_000 }, () => {
  let app: TestServer;
  before(async () => {
    const { labs } = await loadLabCatalog(fileURLToPath(new URL('../../labs/', import.meta.url)));
    app = await startTestServer({ labs: labs.filter((l) => l.id === 'sample-registry'), checks: true });
  });
  after(async () => app?.close());

  test("proves a running server's lab through its public API, and leaves nothing behind", async () => {
    const before = await ownedResources(app.config);
    const result = await drydock('verify', 'sample-registry', '--server', app.url);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`server ${app.url}; platform facts: (no-)?ipvs`));
    assert.match(result.stdout, /1 passed, 0 failed/);
    assert.equal(app.sessions.count, 0, 'the session it started is ended');
    await app.sandbox.poolFilled();
    assert.deepEqual((await ownedResources(app.config)).sort(), before.sort(), 'no host or network of its own is left');
  });

  test('a lab the server does not have fails that lab, naming the server', async () => {
    const result = await drydock('verify', 'registry-basics', '--server', app.url);
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`the server at ${app.url} has no lab "registry-basics"`));
  });

  test('an address where no Drydock answers is refused with the reason', async () => {
    const result = await drydock('verify', 'sample-registry', '--server', 'http://127.0.0.1:9');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no Drydock server answers at http:\/\/127\.0\.0\.1:9/);
  });
});
