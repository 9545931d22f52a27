import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labFolder, markLab } from '../test-support/inline-lab.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { ownedResources, startTestSandbox } from '../test-support/sandbox.ts';
import { NodeSessionClient, startLabSession } from '../verify/node-session-client.ts';
import { startTestServer } from '../test-support/test-server.ts';

test('a shutdown that keeps hosts says the server is restarting; a start with no record of them sweeps them', { timeout: 120_000 }, async () => {
  await using labs = await labFolder({ 'mark/lab.md': markLab() });
  const app = await startTestServer({ labs: (await loadLabCatalog(labs.dir)).labs });
  const started = await startLabSession(app.url, 'mark');
  const client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
  await client.waitFor(() => client.of('attached').length > 0, 'the terminal', 30_000);

  await app.close({ keepHosts: true });
  await client.waitFor(() => client.closed !== undefined, 'the socket to close');
  assert.deepEqual(client.of('restarting'), [{ type: 'restarting' }]);
  assert.equal(client.closed!.code, 1012, 'closed as a service restart: the browser comes back');
  assert.deepEqual(client.of('ended'), [], 'the session did not end');
  const left = await ownedResources(app.config);
  assert.ok(
    left.some((r) => r.startsWith('container')),
    `the session's host is kept: ${left.join(', ')}`,
  );

  const next = await startTestSandbox(app.config);
  await next.close();
  assert.deepEqual(await ownedResources(app.config), []);
});
