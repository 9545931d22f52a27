import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labFolder, markLab } from '../test-support/inline-lab.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { ownedResources, startTestSandbox } from '../test-support/sandbox.ts';
import { NodeSessionClient, startLabSession } from '../verify/node-session-client.ts';
import { startTestServer } from '../test-support/test-server.ts';

test('a shutdown that keeps hosts tells the learner, and the next start sweeps the hosts away', { timeout: 120_000 }, async () => {
  await using labs = await labFolder({ 'mark/lab.md': markLab() });
  const app = await startTestServer({ labs: (await loadLabCatalog(labs.dir)).labs });
  const started = await startLabSession(app.url, 'mark');
  const client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
  await client.waitFor(() => client.of('attached').length > 0, 'the terminal', 30_000);

  await app.close({ keepHosts: true });
  await client.waitFor(() => client.of('ended').length > 0, 'the end message');
  assert.deepEqual(client.of('ended')[0], { type: 'ended', reason: 'shutdown' });
  const left = await ownedResources(app.config);
  assert.ok(
    left.some((r) => r.startsWith('container')),
    `the session's host is kept: ${left.join(', ')}`,
  );

  const next = await startTestSandbox(app.config);
  await next.close();
  assert.deepEqual(await ownedResources(app.config), []);
});
