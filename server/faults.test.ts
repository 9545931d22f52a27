import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './test-support/test-server.ts';
import { waitUntil } from './test-support/server-process.ts';
import { connectDocker } from './sandbox/docker-client.ts';
import { markLab, parseInline } from './test-support/inline-lab.ts';
import { testLab } from './test-support/test-lab.ts';
import { NodeSessionClient, startLabSession } from './verify/node-session-client.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Faults from outside a session: its host killed, the engine restarting (the server killed: restart.test.ts).
describe('faults', { timeout: 300_000 }, () => {
  describe('a whole lab host killed', () => {
    const lab = testLab({ id: 'fault-lab', hosts: ['node1', 'node2'] });
    let app: TestServer;
    before(async () => {
      app = await startTestServer({ labs: [lab] });
    });
    after(async () => app?.close());

    test('the session says which host and why, the other keeps working, and a reset brings fresh hosts', async () => {
      const { session, token } = await startLabSession(app.url, lab.id);
      const client = await NodeSessionClient.connect(app.url, session.id, token);
      await client.waitFor(() => client.of('attached').length === 2, 'both terminals');
      const node2 = app.sessions.authorize(session.id, token).hosts.host('node2');

      await connectDocker(app.config.dockerHost).getContainer(node2.containerId).kill({ signal: 'SIGKILL' });
      await client.waitFor(() => client.of('session').some((m) => m.session.hosts[1]?.state === 'stopped'), 'node2 shown stopped');
      assert.deepEqual(client.of('session').at(-1)?.session.hosts, [
        { name: 'node1', state: 'ready' },
        { name: 'node2', state: 'stopped', problem: 'it was killed' },
      ]);
      const error = client.of('error').find((e) => e.code === 'DD_HOST_STOPPED');
      assert.match(error?.message ?? '', /^Lab host node2 stopped: it was killed\. .*reset the lab/);
      client.input('node1', 'echo node1-$((6*7))\r');
      await client.waitFor(() => client.text(0).includes('node1-42'), 'node1 still answers');

      const reset = await fetch(`${app.url}/api/sessions/${session.id}/reset`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(reset.status, 200);
      await client.waitFor(
        () =>
          client
            .of('session')
            .at(-1)
            ?.session.hosts.every((h) => h.state === 'ready') === true,
        'fresh hosts',
      );
      await client.waitFor(() => client.of('attached').length === 4, 'the terminals re-attached');
      client.input('node2', 'hostname\r');
      await client.waitFor(() => /^node2\r$/m.test(client.text(1)), 'the fresh node2 answers');
      await client.close();
    });
  });

  describe('a host whose disk is full', () => {
    let app: TestServer;
    before(async () => {
      const { lab } = parseInline(markLab('full-disk'));
      app = await startTestServer({ labs: [lab!], checks: true, config: { hostMemoryMib: 512, hostDiskMib: 128 } });
    });
    after(async () => app?.close());

    test('commands say so; the terminal, the checks and the step still work; a reset brings a clean disk', async () => {
      const { session, token } = await startLabSession(app.url, 'full-disk');
      const client = await NodeSessionClient.connect(app.url, session.id, token);
      await client.waitFor(() => client.of('attached').length === 1, 'the terminal');
      client.input('node1', 'dd if=/dev/zero of=/root/fill bs=1M; echo "dd-exit-$?"\r');
      await client.waitFor(() => /dd-exit-1/.test(client.text(0)), 'the filler to stop', 30_000);
      assert.match(client.text(0), /No space left on device/);
      client.send({ type: 'check' });
      await client.waitFor(() => client.of('steps').at(-1)?.steps[0]?.status === 'failing', 'the check to answer');
      assert.match(client.of('steps').at(-1)!.steps[0]!.message!, /\/root\/mark/);
      client.input('node1', 'rm /root/fill && touch /root/mark && echo "freed-$((1+1))"\r');
      await client.waitFor(() => client.text(0).includes('freed-2'), 'the learner to free the disk');
      await client.waitFor(() => client.of('steps').at(-1)?.steps[0]?.status === 'passed', 'the step to pass');

      client.input('node1', 'fallocate -l 100M /root/big && echo filled-again\r');
      await client.waitFor(() => client.text(0).includes('filled-again'), 'the disk used again');
      const reset = await fetch(`${app.url}/api/sessions/${session.id}/reset`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(reset.status, 200);
      await client.waitFor(() => client.of('attached').length === 2, 'a fresh terminal');
      client.input('node1', 'df -m --output=used / | tail -1 | tr -d " " | sed "s/^/used-mib-/"\r');
      await client.waitFor(() => /used-mib-\d+\r/.test(client.text(0)), 'the fresh disk');
      assert.ok(Number(/used-mib-(\d+)\r/.exec(client.text(0))![1]) < 8, 'the fresh host starts with an empty disk');
      await client.close();
    });
  });

  describe('the engine restarting', () => {
    const lab = testLab({ id: 'engine-restart-lab', hosts: ['node1'] });
    let app: TestServer;
    // Restarting the engine stops every container on it: only where this run owns the engine (CI).
    const skip =
      process.env.CI !== 'true' && process.env.DRYDOCK_TEST_ENGINE_RESTART !== '1'
        ? 'restarts the Docker engine of the lab hosts: runs in CI, or with DRYDOCK_TEST_ENGINE_RESTART=1'
        : false;
    before(async () => {
      if (!skip) app = await startTestServer({ labs: [lab], config: { poolSize: 1 } });
    });
    after(async () => app?.close());

    test('while it is down: not ready, and a new session gets a clear 503; after: sessions show their lost hosts and reset', { skip }, async () => {
      const { session, token } = await startLabSession(app.url, lab.id);
      const client = await NodeSessionClient.connect(app.url, session.id, token);
      await client.waitFor(() => client.of('attached').length === 1, 'the terminal');

      // The pid file of the engine that runs the hosts (scripts/engine.sh writes it): `pidof
      // dockerd` would also find the machine's engine and the lab hosts' engines.
      const pidFile = app.config.isolation === 'userns' ? '/run/drydock/engine/dockerd.pid' : '/var/run/docker.pid';
      const dockerd = (await readFile(pidFile, 'utf8')).trim();
      await run('kill', ['-TERM', dockerd]);
      await waitUntil(
        async () =>
          !(await run('kill', ['-0', dockerd]).then(
            () => true,
            () => false,
          )),
        'dockerd to exit',
        60_000,
      );

      const readyz = await fetch(`${app.url}/readyz`);
      assert.equal(readyz.status, 503);
      assert.match(((await readyz.json()) as { problem: string }).problem, /Docker engine .* does not answer/);
      const refused = await fetch(`${app.url}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ labId: lab.id }),
      });
      assert.equal(refused.status, 503);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /the Docker engine does not answer/);

      await run('bash', ['scripts/engine.sh'], { cwd: ROOT });
      await client.waitFor(() => client.of('session').at(-1)?.session.hosts[0]?.state === 'stopped', 'the lost host shown', 30_000);
      assert.equal((await fetch(`${app.url}/readyz`)).status, 200);

      const reset = await fetch(`${app.url}/api/sessions/${session.id}/reset`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(reset.status, 200, await reset.text());
      await client.waitFor(() => client.of('attached').length === 2, 'a fresh terminal');
      client.input('node1', 'docker pull -q hello-world >/dev/null && echo pulled-after-restart\r');
      await client.waitFor(() => client.text(0).includes('pulled-after-restart'), 'the mirror works again', 30_000);
      const again = await startLabSession(app.url, lab.id);
      assert.equal(again.session.state, 'ready', 'new sessions start again');
      await client.close();
    });
  });
});
