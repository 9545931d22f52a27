import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { ownedResources } from '../test-support/sandbox.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The real CLI in a child process, as an operator runs it against a deployment. */
async function drydock(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/drydock.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('drydock verify --server', { timeout: 300_000 }, () => {
  let app: TestServer;
  before(async () => {
    const { labs } = await loadLabCatalog(fileURLToPath(new URL('../../labs/', import.meta.url)));
    app = await startTestServer({ labs: labs.filter((l) => l.id === 'sample-registry'), verifier: 'checks' });
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
