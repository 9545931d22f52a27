import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkSession } from '../../server/test-support/check-session.ts';
import { check, waitForUrl } from '../test-support/check-runner.ts';

// What a registry does with writes, probed against real registries (2.8) in a real lab host.
describe('registry-allows-deletes and registry-read-only against real registries', { timeout: 300_000 }, () => {
  const { run, context } = checkSession(['node1'], (s) => s.run('docker pull -q registry:2 && docker pull -q hello-world && docker pull -q nginx'));
  const verdict = async (kind: string, registry: string, extra: Record<string, unknown> = {}) => {
    const { passed, message } = await check(context(), kind, { registry, ...extra });
    return { passed, message };
  };
  const registry = (name: string, port: number, env: string[] = []) =>
    run(
      `docker run -d --name ${name} -p ${port}:5000 ${env.map((e) => `-e '${e}'`).join(' ')} registry:2 && ${waitForUrl(`http://127.0.0.1:${port}/v2/`)}`,
    );
  const digestOf = (port: number) =>
    run(
      `curl -sI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' http://127.0.0.1:${port}/v2/hello-world/manifests/latest | tr -d '\\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }'`,
    );

  test('registry-allows-deletes: off by default in 2.8, on with REGISTRY_STORAGE_DELETE_ENABLED, and nothing real is deleted', async () => {
    assert.deepEqual(await verdict('registry-allows-deletes', '127.0.0.1:5000'), {
      passed: false,
      message: 'nothing answers on 127.0.0.1:5000: start the registry with its port published there (-p 5000:5000)',
    });
    await registry('plain', 5000);
    assert.deepEqual(await verdict('registry-allows-deletes', '127.0.0.1:5000'), {
      passed: false,
      message:
        'the registry on 127.0.0.1:5000 refuses deletes (405 UNSUPPORTED): run it with -e REGISTRY_STORAGE_DELETE_ENABLED=true (a pull-through cache never deletes)',
    });
    await registry('deletes', 5001, ['REGISTRY_STORAGE_DELETE_ENABLED=true']);
    await run('docker tag hello-world 127.0.0.1:5001/hello-world && docker push -q 127.0.0.1:5001/hello-world');
    const digest = await digestOf(5001);
    assert.deepEqual(await verdict('registry-allows-deletes', '127.0.0.1:5001', { repository: 'hello-world' }), {
      passed: true,
      message: 'the registry on 127.0.0.1:5001 allows deletes (a DELETE of a manifest that does not exist got 404 MANIFEST_UNKNOWN)',
    });
    assert.equal(
      (await verdict('registry-allows-deletes', '127.0.0.1:5001', { repository: 'never-pushed' })).passed,
      true,
      'any repository name will do',
    );
    assert.equal(await digestOf(5001), digest, 'the pushed image is still there');
  });

  test('registry-read-only: a plain 405 for every write, told apart from deletes being off', async () => {
    assert.match(
      (await verdict('registry-read-only', '127.0.0.1:5001')).message,
      /^the registry on 127.0.0.1:5001 still accepts writes \(a DELETE got 404 MANIFEST_UNKNOWN, not the plain 405 of read-only mode\): run it with -e REGISTRY_STORAGE_MAINTENANCE_READONLY='\{"enabled": true\}'/,
    );
    assert.match(
      (await verdict('registry-read-only', '127.0.0.1:5000')).message,
      /still accepts writes \(a DELETE got 405 UNSUPPORTED,/,
      'deletes off is not read-only',
    );
    await registry('readonly', 5002, ['REGISTRY_STORAGE_DELETE_ENABLED=true', 'REGISTRY_STORAGE_MAINTENANCE_READONLY={"enabled": true}']);
    assert.deepEqual(await verdict('registry-read-only', '127.0.0.1:5002'), {
      passed: true,
      message: 'the registry on 127.0.0.1:5002 is read-only (a DELETE got 405 Method not allowed)',
    });
    assert.deepEqual(await verdict('registry-allows-deletes', '127.0.0.1:5002'), {
      passed: false,
      message:
        'the registry on 127.0.0.1:5002 is in read-only mode and refuses every write (405 Method not allowed): run it without REGISTRY_STORAGE_MAINTENANCE_READONLY',
    });
  });

  test('something that is not a registry, or speaks HTTPS, is said to be so', async () => {
    await run(`docker run -d --name web -p 8080:80 nginx && ${waitForUrl('http://127.0.0.1:8080/')}`);
    assert.match(
      (await verdict('registry-allows-deletes', '127.0.0.1:8080')).message,
      /^something answers on 127.0.0.1:8080, but it is not a registry \(a DELETE got 40\d /,
    );
    assert.match((await verdict('registry-read-only', '127.0.0.1:5000', { tls: true })).message, /serves plain HTTP, not HTTPS/);
  });
});
