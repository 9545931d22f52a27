import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DrydockError } from '../errors/drydock-error.ts';
import { OWN_ENGINE_SOCKET } from './isolation.ts';
import { startTestSandbox, testConfig, userNamespacedTestConfig } from '../test-support/sandbox.ts';
import { testLab } from '../test-support/test-lab.ts';
import { startTestServer } from '../test-support/test-server.ts';

const MACHINE_ENGINE = '/var/run/docker.sock';

test('user-namespaced hosts on an engine that does not remap: refused at start, saying what to change', async () => {
  await assert.rejects(startTestSandbox(testConfig({ isolation: 'userns', dockerHost: MACHINE_ENGINE })), (err: unknown) => {
    assert.ok(err instanceof DrydockError);
    assert.equal(err.code, 'DD_ISOLATION_UNAVAILABLE');
    assert.match(err.message, /needs an engine that remaps user namespaces, and the one at \/var\/run\/docker.sock does not/);
    assert.match(err.message, /scripts\/engine\.sh/);
    assert.match(err.message, /DRYDOCK_ISOLATION=privileged/);
    return true;
  });
});

test('privileged hosts on an engine that remaps: refused at start, never run half-working', async () => {
  await assert.rejects(startTestSandbox(testConfig({ isolation: 'privileged', dockerHost: OWN_ENGINE_SOCKET })), (err: unknown) => {
    assert.ok(err instanceof DrydockError);
    assert.equal(err.code, 'DD_ISOLATION_UNAVAILABLE');
    assert.match(err.message, /without user-namespace remapping/);
    return true;
  });
});

test('/readyz says which isolation is in force', async () => {
  const app = await startTestServer({ labs: [testLab({ id: 'isolation-lab', hosts: ['node1'] })], config: userNamespacedTestConfig() });
  try {
    const readyz = await fetch(`${app.url}/readyz`);
    assert.equal(readyz.status, 200);
    assert.deepEqual(await readyz.json(), { ready: true, isolation: 'userns', sessions: 0 });
  } finally {
    await app.close();
  }
});
