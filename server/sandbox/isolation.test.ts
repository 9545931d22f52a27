import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DrydockError } from '../errors/drydock-error.ts';
import { ENGINE_SOCKETS } from '../config/config.ts';
import { startTestSandbox, testConfig } from '../test-support/sandbox.ts';
import { testLab } from '../test-support/test-lab.ts';
import { startTestServer } from '../test-support/test-server.ts';

test('user-namespaced hosts on an engine that does not remap: refused at start, saying what to change', async () => {
  await assert.rejects(startTestSandbox(testConfig({ isolation: 'userns', dockerHost: ENGINE_SOCKETS.privileged })), (err: unknown) => {
    assert.ok(err instanceof DrydockError);
    assert.equal(err.code, 'DD_ISOLATION_UNAVAILABLE');
    assert.match(err.message, /needs an engine that remaps user namespaces, and the one at \/var\/run\/docker.sock does not/);
    assert.match(err.message, /scripts\/engine\.sh/);
    assert.match(err.message, /DRYDOCK_ISOLATION=privileged/);
    return true;
  });
});

test('privileged hosts on an engine that remaps: refused at start, never run half-working', async () => {
  await assert.rejects(startTestSandbox(testConfig({ isolation: 'privileged', dockerHost: ENGINE_SOCKETS.userns })), (err: unknown) => {
    assert.ok(err instanceof DrydockError);
    assert.equal(err.code, 'DD_ISOLATION_UNAVAILABLE');
    assert.match(err.message, /without user-namespace remapping/);
    return true;
  });
});

test('by default: user-namespaced hosts on the engine Drydock owns, and /readyz says so', async () => {
  const config = testConfig();
  assert.deepEqual([config.isolation, config.dockerHost], ['userns', ENGINE_SOCKETS.userns]);
  const app = await startTestServer({ labs: [testLab({ id: 'isolation-lab', hosts: ['node1'] })] });
  try {
    const readyz = await fetch(`${app.url}/readyz`);
    assert.equal(readyz.status, 200);
    assert.deepEqual(await readyz.json(), { ready: true, isolation: 'userns', sessions: 0 });
  } finally {
    await app.close();
  }
});
