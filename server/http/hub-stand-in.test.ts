import assert from 'node:assert/strict';
import { get } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { hubPortOf } from '../config/config.ts';
import type { LabHost } from '../sandbox/sandbox.ts';
import { testLab } from '../test-support/test-lab.ts';
import { sh } from '../test-support/sandbox.ts';
import { HUB_BURST, HUB_PER_SECOND } from './hub-stand-in.ts';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';

const HUB = 'https://registry-1.docker.io';

// A learner pulls what the offline mirror does not have, from a real lab host, and reads why.
describe('the Docker Hub stand-in, from a lab host', { timeout: 240_000 }, () => {
  const lab = testLab({ id: 'hub-lab' });
  let app: TestServer;
  let host: LabHost;

  before(async () => {
    app = await startTestServer({ labs: [lab], config: { mirrorUpstream: '' } });
    const { session, token } = await app.sessions.start(lab.id, testOwner('learner'));
    host = app.sessions.authorize(session.id, token).hosts.host('node1');
  });
  after(async () => app?.close());

  /** A command's exit code and all it printed. */
  const run = async (script: string) => {
    const r = await host.exec(['bash', '-c', `${script} 2>&1`]);
    return { code: r.exitCode, out: r.stdout };
  };

  /** The one line a learner must read instead of "connection refused". */
  const assertSaysWhy = (out: string, image: string) => {
    assert.doesNotMatch(out, /connection refused|dial tcp/i, out);
    const line = out.split('\n').find((l) => l.includes('Error response from daemon'));
    assert.ok(line, out);
    assert.match(
      line,
      new RegExp(`this Drydock runs offline: ${image.replace(/[.:]/g, '\\$&')} is not in its mirror; images here: .*hello-world.*registry:2`),
    );
    assert.match(line, /\(ask whoever runs Drydock to add it\)\.?$/);
  };

  test('docker pull of an image the mirror lacks says so in one line', async () => {
    const { code, out } = await run('docker pull alpine:3.19');
    assert.notEqual(code, 0);
    assertSaysWhy(out, 'alpine:3.19');
  });

  test("so does docker run of one (the basic-auth lab's old htpasswd advice)", async () => {
    const { code, out } = await run('docker run --rm --entrypoint htpasswd httpd:2 -Bbn a b');
    assert.notEqual(code, 0);
    assertSaysWhy(out, 'httpd:2');
  });

  test('a mirrored image still pulls', async () => {
    await sh(host, 'docker pull -q hello-world >/dev/null && docker run --rm hello-world >/dev/null');
  });

  test('it takes nothing: pushes and logins are refused with the reason', async () => {
    await sh(host, 'docker tag hello-world myname/hello:1');
    const push = await run('docker push myname/hello:1');
    assert.notEqual(push.code, 0);
    assert.doesNotMatch(push.out, /connection refused/);
    const login = await run('docker login -u a -p b');
    assert.notEqual(login.code, 0, login.out);
    assert.match(login.out, /no Docker Hub to log in to from here/);
    const status = await sh(host, `curl -s -o /dev/null -w '%{http_code}' -X POST ${HUB}/v2/library/evil/blobs/uploads/`);
    assert.equal(status, '405');
  });

  test('its certificate is trusted for Docker Hub names only', async () => {
    assert.equal(await sh(host, `curl -s -o /dev/null -w '%{http_code}' ${HUB}/v2/`), '401');
    // The same server under another name: the CA's name constraint refuses it.
    const other = await run(
      `curl -s -o /dev/null --resolve evil.example:443:$(getent hosts registry-1.docker.io | cut -d' ' -f1) https://evil.example/v2/`,
    );
    assert.notEqual(other.code, 0, other.out);
  });

  test('large requests are cut off and a flood is slowed to the rate limit', async () => {
    const big = await sh(host, `curl -s -o /dev/null -w '%{http_code}' -H "X-Pad: $(head -c 20000 /dev/zero | tr '\\0' a)" ${HUB}/v2/ || true`);
    assert.ok(['431', '000'].includes(big.trim()), `a 20 KB header got ${big}`);
    await new Promise((resolve) => setTimeout(resolve, (HUB_BURST / HUB_PER_SECOND) * 1000)); // a full bucket
    const started = performance.now();
    const statuses = (await sh(host, `for i in $(seq 100); do curl -s -o /dev/null -w '%{http_code}\\n' ${HUB}/v2/library/x/manifests/1; done`))
      .trim()
      .split('\n');
    const seconds = (performance.now() - started) / 1000;
    const answered = statuses.filter((s) => s === '404').length;
    const limited = statuses.filter((s) => s === '429').length;
    assert.equal(answered + limited, statuses.length, `only 404 and 429: ${[...new Set(statuses)]}`);
    assert.ok(limited > 0, `100 requests in ${seconds.toFixed(1)} s, none limited`);
    assert.ok(answered <= HUB_BURST + HUB_PER_SECOND * seconds + 1, `${answered} answered in ${seconds.toFixed(1)} s`);
  });

  test('it answers lab hosts only', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      // This process is not a lab host; it skips verification only to see what is answered.
      get({ host: '127.0.0.1', port: hubPortOf(app.config), path: '/v2/library/alpine/manifests/3.19', rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    assert.equal(answer.status, 403);
    assert.match(answer.body, /DENIED.*is not a lab host of a running session/);
  });
});
