import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { sh } from '../test-support/sandbox.ts';
import { connectDocker } from './docker-client.ts';
import { execInContainer } from './exec.ts';
import { MIRROR_CONTAINER } from './mirror.ts';
import type { LabHost } from './sandbox.ts';

// The mirror is on every session network and serves every learner's pulls: from a lab host,
// with root, a learner must not be able to change what it serves, nor route through it.
describe('the platform mirror, seen from a lab host', { timeout: 180_000 }, () => {
  const lab = testLab({ id: 'mirror-lab' });
  let app: TestServer;
  let host: LabHost;
  const registry = 'http://drydock-mirror:5000/v2';

  before(async () => {
    app = await startTestServer({ labs: [lab] });
    const { session, token } = await app.sessions.start(lab.id, testOwner('learner'));
    host = app.sessions.authorize(session.id, token).hosts.host('node1');
  });
  after(async () => app?.close());

  /** The status of one request from the host, with curl. */
  async function status(method: string, path: string, extra = ''): Promise<number> {
    return Number(await sh(host, `curl -s -o /dev/null -w '%{http_code}' -X ${method} ${extra} '${registry}${path}'`));
  }

  test('pulls work, and every kind of write is refused', async () => {
    await sh(host, 'docker pull -q hello-world >/dev/null');
    const before = await sh(host, `curl -sf ${registry}/library/hello-world/tags/list`);
    const digest = JSON.parse(
      await sh(
        host,
        `curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' -o /dev/null -D - ${registry}/library/hello-world/manifests/latest | tr -d '\\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}' | jq -R .`,
      ),
    );
    assert.match(digest, /^sha256:/);

    const writes: [string, string, string?][] = [
      ['POST', '/library/hello-world/blobs/uploads/'],
      ['POST', '/library/evil/blobs/uploads/'],
      ['POST', `/library/hello-world/blobs/uploads/?mount=${digest}&from=library/hello-world`],
      ['PUT', '/library/hello-world/manifests/latest', `-H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data-binary '{}'`],
      [
        'PUT',
        '/library/hello-world/manifests/probe-write',
        `-H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data-binary '{}'`,
      ],
      ['PATCH', '/library/hello-world/blobs/uploads/00000000-0000-0000-0000-000000000000'],
      ['PUT', `/library/hello-world/blobs/uploads/00000000-0000-0000-0000-000000000000?digest=${digest}`],
      ['DELETE', `/library/hello-world/manifests/${digest}`],
      ['DELETE', `/library/hello-world/blobs/${digest}`],
    ];
    for (const [method, path, extra] of writes) {
      const code = await status(method, path, extra);
      assert.ok(code === 405 || code === 404, `${method} ${path} answered ${code}`);
      assert.notEqual(code, 202);
    }

    // What a learner would actually type: a push under the mirror's name.
    await sh(host, 'docker tag hello-world drydock-mirror:5000/library/hello-world:probe-write');
    const push = await host.exec(['bash', '-c', 'docker push drydock-mirror:5000/library/hello-world:probe-write 2>&1']);
    assert.notEqual(push.exitCode, 0, `the push went through:\n${push.stdout}`);
    await sh(host, 'docker rmi drydock-mirror:5000/library/hello-world:probe-write >/dev/null');

    assert.equal(await sh(host, `curl -sf ${registry}/library/hello-world/tags/list`), before, 'the tags are as they were');
    assert.equal(await status('GET', '/library/evil/tags/list'), 404, 'no repository was created');
  });

  test('it does not forward packets between the networks it sits on', async () => {
    const docker = connectDocker(app.config.dockerHost);
    const { stdout } = await execInContainer(docker.getContainer(MIRROR_CONTAINER), [
      'cat',
      '/proc/sys/net/ipv4/ip_forward',
      '/proc/sys/net/ipv6/conf/all/forwarding',
    ]);
    const values = stdout.split('\n').filter(Boolean);
    assert.deepEqual(values, ['0', '0'], 'ip_forward and IPv6 forwarding are off');
  });
});
