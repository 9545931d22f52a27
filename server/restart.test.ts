import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import type { StartedSessionBody } from '../shared/api.ts';
import { connectDocker } from './sandbox/docker-client.ts';
import { ownerFilter } from './sandbox/labels.ts';
import { ownedResources, testConfig } from './test-support/sandbox.ts';
import { poolFilled, serverProcesses, waitUntil } from './test-support/server-process.ts';
import { NodeSessionClient, startLabSession } from './verify/node-session-client.ts';

/** Running lab-host containers of this owner, by name (id and whether it runs), the warm pool's apart. */
async function hostsOf(owner: string): Promise<{ session: Map<string, string>; pooled: string[] }> {
  const docker = connectDocker(testConfig().dockerHost);
  const containers = await docker.listContainers({ all: true, filters: ownerFilter(owner, 'host') });
  const session = new Map<string, string>();
  const pooled: string[] = [];
  for (const c of containers) {
    const name = c.Names[0]!.slice(1);
    if (name.endsWith('-pooled')) pooled.push(name);
    else session.set(name, `${c.Id} ${c.State}`);
  }
  return { session, pooled };
}

/** The session's browser after a restart: the same token, the same shells, told that earlier output is gone. */
async function reconnect(url: string, started: StartedSessionBody): Promise<NodeSessionClient> {
  const client = await NodeSessionClient.connect(url, started.session.id, started.token);
  await client.waitFor(() => client.of('attached').length === 2, 'both terminals re-attached', 30_000);
  assert.ok(
    client.of('attached').every((m) => m.restored === true),
    `each terminal says its earlier output is gone: ${JSON.stringify(client.of('attached'))}`,
  );
  return client;
}

// Issue 14: an upgrade during a class. The real server as `npm start` runs it (default settings:
// the warm pool on, DRYDOCK_SHUTDOWN_HOSTS unset), restarted under a learner who keeps working.
test(
  'sessions survive a server restart (SIGTERM) and a crash (kill -9): same hosts, same shells, same progress',
  { timeout: 1_200_000 },
  async () => {
    const processes = await serverProcesses(18_500);
    const { config, url, start } = processes;
    try {
      let server = await start();
      // As a learner meets it: the warm pool made, so the session's hosts come from it.
      await waitUntil(poolFilled(url, 3), 'the warm pool to be made', 400_000);
      const started = await startLabSession(url, 'two-hosts');
      let client = await NodeSessionClient.connect(url, started.session.id, started.token);
      await client.waitFor(() => client.of('attached').length === 2, 'both terminals', 30_000);
      client.input(
        'node2',
        'LESSON_VAR=kept-$((6*7)); docker run -d --name survivor nginx >/dev/null && echo "I am $(hostname)" > /root/note && echo started-ok\r',
      );
      await client.waitFor(() => client.text(1).includes('started-ok'), 'the container started in node2', 120_000);
      await client
        .waitFor(() => client.of('steps').at(-1)?.steps[0]?.status === 'passed', 'the first step to pass', 60_000)
        .catch((err: Error) =>
          assert.fail(`${err.message}\nsteps: ${JSON.stringify(client.of('steps').at(-1))}\nserver: ${server.log().slice(-3000)}`),
        );
      // Gone from the host now: after the restart only the record of the pass keeps the step green.
      client.input('node2', 'rm /root/note && echo note-removed\r');
      await client.waitFor(() => client.text(1).includes('note-removed'), 'the note removed');
      const before = await hostsOf(config.owner);
      assert.equal(before.session.size, 2, `the session's two hosts: ${[...before.session.keys()].join(', ')}`);

      // SIGTERM: the browser hears the server is restarting (not that its session ended), and the process exits fast.
      const stopping = Date.now();
      server.kill('SIGTERM');
      await once(server, 'exit');
      const stopMs = Date.now() - stopping;
      await client.waitFor(() => client.closed !== undefined, 'the socket to close');
      assert.equal(client.closed!.code, 1012, 'closed as a service restart');
      assert.deepEqual(client.of('restarting').length, 1);
      assert.equal(client.of('ended').length, 0, 'the session is not said to have ended');
      assert.ok(stopMs < 10_000, `stopped in ${stopMs} ms`);
      console.log(`# SIGTERM to exit: ${stopMs} ms`);
      assert.deepEqual((await hostsOf(config.owner)).session, before.session, 'the hosts run on through the restart');

      const takenOver = async (how: string) => {
        const after = await hostsOf(config.owner);
        assert.deepEqual(after.session, before.session, `after ${how}: the same host containers, still running`);
        assert.ok(
          before.pooled.every((name) => !after.pooled.includes(name)),
          `after ${how}: the old warm pool was swept (${before.pooled.join(', ')} → ${after.pooled.join(', ')})`,
        );
        client = await reconnect(url, started);
        await client.waitFor(() => client.of('steps').length > 0, 'the steps');
        assert.equal(client.of('steps').at(-1)!.steps[0]!.status, 'passed', `after ${how}: the step passed before is still passed`);
        client.input('node2', 'echo "var=$LESSON_VAR running=$(docker inspect -f {{.State.Running}} survivor)"\r');
        await client.waitFor(
          () => client.text(1).includes('var=kept-42 running=true'),
          `after ${how}: the same shell, the container still running`,
          20_000,
        );
        // The Docker Hub stand-in's certificate outlives the restart, so a host taken over still
        // trusts it and gets its explanation, not a certificate error.
        const mark = `pulled-${how.replace(/\W/g, '')}`;
        client.input('node1', `docker pull alpine:3.19 2>&1 | tail -n1; echo ${mark}\r`);
        // The mark twice: the typed command, then its output.
        await client.waitFor(() => client.text(0).split(mark).length > 2, `after ${how}: the pull's answer`, 30_000);
        const pulled = client.text(0);
        assert.match(pulled, /alpine:3\.19 is not in its mirror/, `after ${how}: the stand-in explains the missing image:\n${pulled.slice(-600)}`);
        assert.doesNotMatch(pulled, /x509|certificate/, `after ${how}: no certificate error`);
      };
      const restarting = Date.now();
      server = await start();
      console.log(`# start to ready, the session taken over: ${Date.now() - restarting} ms`);
      await takenOver('SIGTERM');

      server.kill('SIGKILL');
      await once(server, 'exit');
      await waitUntil(async () => !(await ownedResources(config)).some((r) => r.endsWith('-lease')), "the killed server's lease to lapse", 15_000);
      // This start removes everything on its way out, so the test leaves nothing behind.
      // One session per address this time: the session taken over must count for its learner's address.
      server = await start({ DRYDOCK_SHUTDOWN_HOSTS: 'remove', DRYDOCK_SESSIONS_PER_ADDRESS: '1' });
      await takenOver('kill -9');
      await assert.rejects(startLabSession(url, 'two-hosts'), /1 lab sessions? (is|are) already running from your network address/);

      // Ending the session still removes everything it had: what is left is the pool's and the lease.
      const ended = await fetch(`${url}/api/sessions/${started.session.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${started.token}` },
      });
      assert.equal(ended.status, 200);
      await waitUntil(poolFilled(url, 3), 'the warm pool to be made', 400_000);
      const left = await ownedResources(config);
      const sessionNetwork = `network ${[...before.session.keys()][0]!.replace(/-node\d$/, '')}`;
      assert.ok(!left.includes(sessionNetwork), `the session's network is gone: ${left.join(', ')}`);
      const containers = left.filter((r) => r.startsWith('container'));
      assert.ok(
        containers.every((r) => r.endsWith('-pooled') || r.endsWith('-lease')),
        `no container but the pool's and the lease: ${left.join(', ')}`,
      );
      assert.equal(left.length - containers.length, containers.length - 1, `one network per pooled host, no other: ${left.join(', ')}`);
      await client.close();
      server.kill('SIGTERM');
      await once(server, 'exit');
      assert.deepEqual(await ownedResources(config), [], 'DRYDOCK_SHUTDOWN_HOSTS=remove leaves nothing');
    } finally {
      await processes.close();
    }
  },
);
