import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DrydockError } from '../errors/drydock-error.ts';
import { startTestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { sh } from '../test-support/sandbox.ts';
import { connectDocker } from './docker-client.ts';

// A double start (or compose beside start.sh) on one engine with one owner: the second server's
// start-up sweep must not remove the first one's lab hosts.
describe('two servers of one owner on one engine', { timeout: 120_000 }, () => {
  const lab = testLab({ id: 'lease-lab' });

  test("the second is refused, naming the first, and the first one's session keeps working", async () => {
    const first = await startTestServer({ labs: [lab] });
    try {
      const { session, token } = await first.sessions.start(lab.id, testOwner('learner'));
      const host = first.sessions.authorize(session.id, token).hosts.host('node1');
      await sh(host, 'echo before > /root/work');

      await assert.rejects(startTestServer({ labs: [lab], config: { owner: first.config.owner, port: 0 } }), (err: unknown) => {
        assert.ok(err instanceof DrydockError, String(err));
        assert.equal(err.code, 'DD_OWNER_IN_USE');
        assert.match(err.message, new RegExp(`owner "${first.config.owner}"`));
        assert.match(err.message, new RegExp(`process ${process.pid} on `), 'names the live server');
        assert.match(err.message, /DRYDOCK_OWNER=/, 'says how to choose another owner');
        return true;
      });

      const info = await connectDocker(first.config.dockerHost).getContainer(host.containerId).inspect();
      assert.equal(info.State.Running, true, "the first server's host is still running");
      assert.equal((await sh(host, 'cat /root/work')).trim(), 'before', "the learner's work is still there");
    } finally {
      await first.close();
    }
  });

  test('a stopped server leaves the owner free, and the next one sweeps what it kept', async () => {
    const first = await startTestServer({ labs: [lab] });
    const { session, token } = await first.sessions.start(lab.id, testOwner('learner'));
    const containerId = first.sessions.authorize(session.id, token).hosts.host('node1').containerId;
    await first.close({ keepHosts: true });

    const docker = connectDocker(first.config.dockerHost);
    assert.equal((await docker.getContainer(containerId).inspect()).State.Running, true, 'kept for the next start');
    const second = await startTestServer({ labs: [lab], config: { owner: first.config.owner } });
    try {
      await assert.rejects(docker.getContainer(containerId).inspect(), 'the next start swept the kept host');
    } finally {
      await second.close();
    }
  });
});
