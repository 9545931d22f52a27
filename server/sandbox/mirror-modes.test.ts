import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startTestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { forgetMirrorRepositories } from '../test-support/mirror-repos.ts';
import { ENGINE_SOCKETS } from '../config/config.ts';
import { sh, testConfig } from '../test-support/sandbox.ts';
import { connectDocker } from './docker-client.ts';
import { follow } from './images/build.ts';
import { ensureMirror, MIRROR_CONTAINER } from './mirror.ts';
import { readMirrorCatalog } from './mirror-catalog.ts';
import { DOCKER_HUB, resolveMirrorUpstream } from './mirror-upstream.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('auto means Docker Hub when its /v2/ answers, and no upstream when it does not', async () => {
  assert.equal(await resolveMirrorUpstream('auto', async () => true), DOCKER_HUB);
  assert.equal(await resolveMirrorUpstream('auto', async () => false), '');
  assert.equal(await resolveMirrorUpstream('', async () => true), '');
  assert.equal(await resolveMirrorUpstream('http://10.0.0.1:5000', async () => false), 'http://10.0.0.1:5000');
});

// The mirror is shared by every server on the engine: these tests change it, and put it back.
describe('adding images to the mirror, and pulling through from an upstream', { timeout: 300_000 }, () => {
  const config = testConfig();
  const docker = connectDocker(config.dockerHost);
  const id = randomBytes(3).toString('hex');
  const added = {
    byName: `drydock-probe-added-${id}`,
    fromTar: `drydock-probe-tar-${id}`,
    upstreamOnly: `drydock-probe-upstream-${id}`,
    machineOnly: `drydock-probe-machine-${id}`,
  };
  const upstreamName = `drydock-test-upstream-${id}`;
  let dir: string;
  let mirrorUrl: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-images-'));
    mirrorUrl = (await ensureMirror(docker, { upstream: '' }, () => {})).url;
  });
  after(async () => {
    await docker
      .getContainer(upstreamName)
      .remove({ force: true, v: true })
      .catch(() => {});
    for (const name of Object.values(added))
      await docker
        .getImage(`${name}:1`)
        .remove()
        .catch(() => {});
    // Back to this machine's default mode, whatever a failed test left.
    await ensureMirror(docker, { upstream: await resolveMirrorUpstream('auto') }, () => {});
    await forgetMirrorRepositories(docker, Object.values(added));
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the real CLI as an operator would. */
  async function drydock(...args: string[]): Promise<{ code: number; out: string }> {
    const env = { ...process.env, DRYDOCK_MIRROR_UPSTREAM: '' };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/drydock.ts', ...args], {
        cwd: ROOT,
        env,
      });
      return { code: 0, out: stdout + stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  test('`images add NAME` and `images add --from-tar FILE` put images in the mirror', async () => {
    await docker.getImage('hello-world:latest').tag({ repo: added.byName, tag: '1' });
    await docker.getImage('hello-world:latest').tag({ repo: added.fromTar, tag: '1' });
    const tar = join(dir, 'saved.tar');
    await pipeline(await docker.getImage(`${added.fromTar}:1`).get(), createWriteStream(tar));
    await docker.getImage(`${added.fromTar}:1`).remove();

    const byName = await drydock('images', 'add', `${added.byName}:1`);
    assert.equal(byName.code, 0, byName.out);
    assert.match(byName.out, new RegExp(`added ${added.byName}:1`));
    const fromTar = await drydock('images', 'add', '--from-tar', tar);
    assert.equal(fromTar.code, 0, fromTar.out);
    assert.match(fromTar.out, new RegExp(`added ${added.fromTar}:1`));
    const again = await drydock('images', 'add', `${added.byName}:1`);
    assert.match(again.out, /already in the mirror/);

    const catalog = await readMirrorCatalog(mirrorUrl);
    assert.ok(catalog?.includes(`${added.byName}:1`) && catalog.includes(`${added.fromTar}:1`), String(catalog));
  });

  test("`images add NAME` takes an image the machine's engine has and the engine of the hosts lacks", async () => {
    const machine = connectDocker(ENGINE_SOCKETS.privileged);
    const name = `${added.machineOnly}:1`;
    await machine.getImage('hello-world:latest').tag({ repo: added.machineOnly, tag: '1' });
    try {
      await assert.rejects(docker.getImage(name).inspect(), 'only on the machine engine at first');
      const result = await drydock('images', 'add', name);
      assert.equal(result.code, 0, result.out);
      assert.match(result.out, new RegExp(`copying ${name} from the machine's engine[\\s\\S]*added ${name}`));
      assert.ok((await readMirrorCatalog(mirrorUrl))?.includes(name));
    } finally {
      await machine
        .getImage(name)
        .remove()
        .catch(() => {});
    }
  });

  test('`images add` says what to do with a name it cannot take', async () => {
    const missing = await drydock('images', 'add', 'drydock-no-such-image:9');
    assert.equal(missing.code, 2);
    assert.match(missing.out, /error: image drydock-no-such-image:9 is missing on this machine's engine: .*docker pull/);
    const elsewhere = await drydock('images', 'add', 'quay.io/foo/bar:1');
    assert.match(elsewhere.out, /error: quay.io\/foo\/bar:1 is on quay.io; the mirror serves Docker Hub names only/);
    const noTar = await drydock('images', 'add', '--from-tar', join(dir, 'nothing.tar'));
    assert.match(noTar.out, /nothing.tar: no such file; make one with `docker save NAME:TAG/);
  });

  test('with an upstream, a lab host pulls through from it, and still gets the seeded and added images', async () => {
    // A registry standing in for Docker Hub, holding an image the mirror does not have.
    const upstream = await docker.createContainer({
      name: upstreamName,
      Image: 'registry:2',
      ExposedPorts: { '5000/tcp': {} },
      HostConfig: { PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await upstream.start();
    const info = await upstream.inspect();
    const published = `127.0.0.1:${info.NetworkSettings.Ports['5000/tcp']![0]!.HostPort}`;
    const target = `${published}/library/${added.upstreamOnly}`;
    await docker.getImage('hello-world:latest').tag({ repo: target, tag: '1' });
    for (
      let i = 0;
      i < 50 &&
      !(await fetch(`http://${published}/v2/`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    await follow(docker, await docker.getImage(`${target}:1`).push({ authconfig: { serveraddress: published } }), () => {});
    await docker.getImage(`${target}:1`).remove();

    const lab = testLab({ id: 'upstream-lab' });
    const app = await startTestServer({
      labs: [lab],
      config: { ...config, mirrorUpstream: `http://${info.NetworkSettings.Networks.bridge!.IPAddress}:5000` },
    });
    try {
      const env = (await docker.getContainer(MIRROR_CONTAINER).inspect()).Config.Env ?? [];
      assert.ok(
        env.includes(`REGISTRY_PROXY_REMOTEURL=http://${info.NetworkSettings.Networks.bridge!.IPAddress}:5000`),
        'the mirror runs as a pull-through cache',
      );
      const { session, token } = await app.sessions.start(lab.id, testOwner('learner'));
      const host = app.sessions.authorize(session.id, token).hosts.host('node1');
      await sh(
        host,
        `docker pull -q ${added.upstreamOnly}:1 && docker pull -q hello-world && docker pull -q ${added.byName}:1 && docker pull -q ${added.fromTar}:1`,
      );
    } finally {
      await app.close();
    }
    // Back offline: the added images are still in the (recreated) mirror's volume.
    const mirror = await ensureMirror(docker, { upstream: '' }, () => {});
    const catalog = await readMirrorCatalog(mirror.url);
    assert.ok(catalog?.includes(`${added.byName}:1`) && catalog.includes(`${added.fromTar}:1`) && catalog.includes('registry:2'), String(catalog));
  });
});
