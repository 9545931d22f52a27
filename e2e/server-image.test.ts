/**
 * Smoke test of the server image (top-level Dockerfile): build it, run it beside this engine the
 * way compose.yaml does (socket mounted, host network, non-root user in the socket's group),
 * open the catalog, start and end a session through it, and leave nothing behind.
 * With the layer cache, the build takes a second; the first build takes under a minute.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { LabSummaryBody, SessionBody, StartedSessionBody } from '../shared/api.ts';
import { LAB_ENGINE_SOCKET, SERVER_IMAGE, docker, freePort, labEngine, localCaCerts, until } from './server-container.ts';

describe('the server image', { timeout: 600_000 }, () => {
  const owner = `test-img-${randomBytes(3).toString('hex')}`;
  const name = `drydock-${owner}-server`;
  let base = '';
  const logs = () => docker(['logs', '--tail', '60', name]).catch((err) => `(no logs: ${err.message})`);

  before(async () => {
    const started = Date.now();
    await docker(['build', '--quiet', '--build-arg', `EXTRA_CA_CERTS=${await localCaCerts()}`, '-t', SERVER_IMAGE, '.'], 540_000);
    console.log(`# image built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const socketGroup = (await stat(LAB_ENGINE_SOCKET)).gid;
    await docker([
      'run',
      '--detach',
      '--name',
      name,
      '--network',
      'host',
      '--group-add',
      String(socketGroup),
      '--volume',
      `${LAB_ENGINE_SOCKET}:${LAB_ENGINE_SOCKET}`,
      '--label',
      `io.drydock.owner=${owner}`,
      '--env',
      `DRYDOCK_OWNER=${owner}`,
      '--env',
      `DRYDOCK_PORT=${port}`,
      '--env',
      'DRYDOCK_LISTEN_ADDRESS=127.0.0.1',
      // A webhook port of its own, so the test runs beside a Drydock server on this machine.
      '--env',
      `DRYDOCK_HOOKS_PORT=${20_000 + randomInt(20_000)}`,
      '--env',
      'DRYDOCK_POOL_SIZE=0',
      SERVER_IMAGE,
    ]);
  });

  after(async () => {
    await docker(['rm', '--force', '--volumes', name]).catch(() => {});
  });

  test('serves health, the catalog, and a session from start to end', async () => {
    // The platform images exist on this engine (setup built them), so start-up takes seconds.
    await until('the server did not answer /readyz', 120_000, async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), logs);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);

    const { labs } = (await (await fetch(`${base}/api/labs`)).json()) as { labs: LabSummaryBody[] };
    assert.ok(
      labs.some((l) => l.id === 'registry-basics'),
      `the catalog lists ${labs.map((l) => l.id).join(', ')}`,
    );
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i, 'the browser app is served from dist/web');

    const startRes = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ labId: 'sample-registry' }),
    });
    const started = (await startRes.json()) as StartedSessionBody;
    assert.equal(startRes.status, 201, `start answered ${JSON.stringify(started)}\n${await logs()}`);
    const auth = { authorization: `Bearer ${started.token}` };
    const id = started.session.id;

    const state = (await (await fetch(`${base}/api/sessions/${id}`, { headers: auth })).json()) as SessionBody;
    assert.equal(state.session.state, 'ready');
    assert.ok(state.session.hosts.length > 0 && state.session.hosts.every((h) => h.state === 'ready'), JSON.stringify(state.session.hosts));
    const hosts = await labEngine(['ps', '-q', '--filter', `label=io.drydock.owner=${owner}`, '--filter', 'label=io.drydock.role=host']);
    assert.ok(hosts.length > 0, 'the session runs lab host containers under the owner label');

    const endRes = await fetch(`${base}/api/sessions/${id}`, { method: 'DELETE', headers: auth });
    assert.equal(endRes.status, 200);
    assert.equal(((await endRes.json()) as SessionBody).session.state, 'ended');

    const left = await until(
      'lab hosts were still there',
      30_000,
      async () => {
        const ids = await labEngine(['ps', '-aq', '--filter', `label=io.drydock.owner=${owner}`, '--filter', 'label=io.drydock.role=host']);
        return ids === '' ? ids : undefined;
      },
      logs,
    );
    assert.equal(left, '');
  });

  test('stops on SIGTERM within the grace period', async () => {
    const started = Date.now();
    await docker(['stop', '--time', '20', name], 40_000);
    const exit = await docker(['inspect', '--format', '{{.State.ExitCode}}', name]);
    assert.equal(exit, '0', `exit code ${exit} after ${Date.now() - started}ms\n${await logs()}`);
  });
});
