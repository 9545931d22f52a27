/**
 * The shipped compose.yaml, from build to a green step: `docker-compose up --build` with an
 * owner and ports of its own, a lab session started over the HTTP API, a step's solution typed
 * through the session socket until the step passes, then `docker-compose down` leaves nothing
 * of that owner on the engine. Debian packages compose v1 (`docker-compose`, scripts/setup.sh
 * installs it); the v2 plugin reads the same file.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { NodeSessionClient, startLabSession } from '../server/verify/node-session-client.ts';
import { LAB_ENGINE_SOCKET, SERVER_IMAGE, command, docker, freePort, localCaCerts, ownedLeftovers, until } from './server-container.ts';

describe('compose.yaml', { timeout: 600_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const project = `ddcompose${id}`;
  const owner = `test-compose-${id}`;
  let base = '';
  let env: NodeJS.ProcessEnv = {};
  const compose = (args: string[], timeoutMs = 120_000) => command('docker-compose', ['-f', 'compose.yaml', '-p', project, ...args], timeoutMs, env);
  const logs = () => compose(['logs', '--no-color', '--tail', '60']).catch((err) => `(no logs: ${err.message})`);

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      ...process.env,
      // The tag and build arguments of server-image.test.ts: the same layers, so a cache hit.
      DRYDOCK_IMAGE: SERVER_IMAGE,
      EXTRA_CA_CERTS: await localCaCerts(),
      DOCKER_GID: String((await stat(LAB_ENGINE_SOCKET)).gid),
      DRYDOCK_OWNER: owner,
      DRYDOCK_PORT: String(port),
      DRYDOCK_LISTEN_ADDRESS: '127.0.0.1',
      DRYDOCK_HOOKS_PORT: String(20_000 + randomInt(20_000)),
      DRYDOCK_POOL_SIZE: '0',
      // Taken down for good: sessions end and their hosts go (the default keeps them for a restart).
      DRYDOCK_SHUTDOWN_HOSTS: 'remove',
    };
    const started = Date.now();
    await compose(['up', '--detach', '--build'], 540_000);
    console.log(`# compose up (build included) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  after(async () => {
    await compose(['down', '--volumes', '--timeout', '30']).catch(() => {});
  });

  test('starts, runs a lab step to green, and leaves nothing behind when taken down', async () => {
    const [container] = (await compose(['ps', '-q'])).split('\n');
    assert.ok(container, 'compose started a container');
    // A server that refuses its configuration exits, and compose's restart policy starts it again and again.
    const outcome = await until(
      'the server did not answer /readyz',
      120_000,
      async () => {
        if (Number(await docker(['inspect', '--format', '{{.RestartCount}}', container])) > 0) return 'restarting';
        return (await fetch(`${base}/readyz`)).ok ? 'ready' : undefined;
      },
      logs,
    );
    assert.equal(outcome, 'ready', `the server exited and was restarted; its log:\n${await logs()}`);

    const { session, token } = await startLabSession(base, 'sample-registry');
    const client = await NodeSessionClient.connect(base, session.id, token);
    try {
      await client.waitFor(() => client.of('attached').length === 1, 'the terminal');
      client.input('node1', 'docker run -d -p 5000:5000 --name registry registry\r');
      await client.waitFor(() => client.of('steps').at(-1)?.steps[0]?.status === 'passed', 'the first step to pass', 60_000);
    } finally {
      await client.close();
    }

    const started = Date.now();
    await compose(['down', '--timeout', '60'], 120_000);
    console.log(`# compose down in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    assert.equal(
      await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]),
      '',
      "compose removed the server's container",
    );
    assert.equal(await ownedLeftovers(owner), '', 'nothing with the owner label is left');
  });
});
