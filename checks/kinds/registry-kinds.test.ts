import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { loadLabCatalog } from '../../server/labs/load.ts';
import type { DockerSandbox } from '../../server/sandbox/docker-sandbox.ts';
import type { HostGroup } from '../../server/sandbox/sandbox.ts';
import { sh, startTestSandbox, testConfig } from '../../server/test-support/sandbox.ts';
import { CheckContext } from '../check-context.ts';
import { runChecks } from '../run-checks.ts';
import { check, waitForUrl } from '../test-support/check-runner.ts';

// Real registries in a real lab host: plain HTTP, TLS with a self-signed certificate, htpasswd auth.
describe('registry checks against real registries', { timeout: 300_000 }, () => {
  let sandbox: DockerSandbox;
  let session: HostGroup;
  let context: CheckContext;
  const node1 = () => session.host('node1');
  const run = (script: string) => sh(node1(), script);

  before(async () => {
    sandbox = await startTestSandbox(testConfig());
    session = await sandbox.createHostGroup({ hostNames: ['node1', 'node2'] });
    context = new CheckContext(session);
    await run('docker pull -q hello-world && docker pull -q nginx && docker pull -q registry');
  });

  after(async () => {
    context?.close();
    await sandbox?.close();
  });

  test('the sample lab: each step fails before its solution and passes after', async () => {
    const { labs } = await loadLabCatalog(fileURLToPath(new URL('../../labs/', import.meta.url)));
    const lab = labs.find((l) => l.id === 'sample-registry')!;
    for (const step of lab.steps) {
      const before = await runChecks(step.checks, context);
      assert.ok(
        before.every((r) => !r.passed),
        `${step.id} passes before its solution: ${JSON.stringify(before)}`,
      );
      for (const c of step.solution.commands) await sh(session.host(c.host), c.script);
      await run(waitForUrl('http://127.0.0.1:5000/v2/'));
      const after = await runChecks(step.checks, context);
      assert.ok(
        after.every((r) => r.passed),
        `${step.id} fails after its solution: ${JSON.stringify(after)}`,
      );
    }
    await run('docker rm -f registry');
  });

  test('registry-answers: only the port asked for, only a registry', async () => {
    const on5000 = () => check(context, 'registry-answers', { registry: '127.0.0.1:5000' });
    const { ms, ...first } = await on5000();
    assert.deepEqual(first, {
      kind: 'registry-answers',
      host: 'node1',
      title: 'a registry answers on 127.0.0.1:5000',
      passed: false,
      message: 'nothing answers on 127.0.0.1:5000 in node1: start the registry with its port published there (-p 5000:5000)',
    });
    assert.ok(ms >= 0);
    await run(`docker run -d --name reg5001 -p 5001:5000 registry && ${waitForUrl('http://127.0.0.1:5001/v2/')}`);
    assert.equal((await on5000()).passed, false, 'a registry on 5001 does not satisfy "on 5000"');
    assert.equal((await check(context, 'registry-answers', { registry: '127.0.0.1:5001' })).passed, true);
    await run(`docker run -d --name web -p 8080:80 nginx && ${waitForUrl('http://127.0.0.1:8080/')}`);
    assert.match(
      (await check(context, 'registry-answers', { registry: 'localhost:8080' })).message,
      /^something answers on localhost:8080 in node1, but it is not a registry \(GET \/v2\/ gave 404\)/,
    );
    await run(`docker rm -f reg5001 web && docker run -d --name registry -p 5000:5000 registry && ${waitForUrl('http://127.0.0.1:5000/v2/')}`);
    assert.deepEqual(await messageOf(on5000()), { passed: true, message: 'a registry answers on 127.0.0.1:5000 in node1' });
    // node2 reaches it by name, as a client in node2 would.
    assert.deepEqual(await messageOf(check(context, 'registry-answers', { registry: 'node1:5000' }, 'node2')), {
      passed: true,
      message: 'a registry answers on node1:5000',
    });
    assert.equal((await check(context, 'registry-answers', { registry: '127.0.0.1:5000' }, 'node2')).passed, false, "node2's own 5000 is empty");
  });

  test('registry-has-repo and registry-has-tag: another image does not count', async () => {
    const hasRepo = () => check(context, 'registry-has-repo', { registry: '127.0.0.1:5000', repository: 'hello-world' });
    const hasTag = (tag = 'latest') =>
      check(context, 'registry-has-tag', { registry: '127.0.0.1:5000', repository: 'hello-world', tag, image: 'hello-world' });
    assert.deepEqual(await messageOf(hasRepo()), {
      passed: false,
      message: 'a registry answers on 127.0.0.1:5000 in node1 but has no repository yet, not hello-world: push hello-world to it first',
    });
    await run('docker tag nginx 127.0.0.1:5000/nginx && docker push -q 127.0.0.1:5000/nginx');
    assert.match((await hasRepo()).message, /but has only nginx, not hello-world: push hello-world to it first$/);
    assert.match((await hasTag()).message, /has no repository hello-world: push hello-world:latest to it first$/);
    // The name is right, the content is not.
    await run('docker tag nginx 127.0.0.1:5000/hello-world && docker push -q 127.0.0.1:5000/hello-world');
    assert.equal((await hasRepo()).passed, true);
    assert.equal(
      (await check(context, 'registry-has-tag', { registry: '127.0.0.1:5000', repository: 'hello-world' })).passed,
      true,
      'without image, any content',
    );
    assert.match(
      (await hasTag()).message,
      /^hello-world:latest in the registry on 127.0.0.1:5000 in node1 is not the image hello-world: tag hello-world as 127.0.0.1:5000\/hello-world:latest and push it$/,
    );
    await run('docker tag hello-world 127.0.0.1:5000/hello-world && docker push -q 127.0.0.1:5000/hello-world');
    assert.equal((await hasTag()).passed, true);
    assert.match(
      (await hasTag('v2')).message,
      /^hello-world in the registry on 127.0.0.1:5000 in node1 has only the tags latest, not v2: push hello-world:v2$/,
    );
  });

  test('the client pages through the catalog and reads digests with full Accept headers', async () => {
    await run('for r in a b c; do docker tag hello-world 127.0.0.1:5000/$r && docker push -q 127.0.0.1:5000/$r; done');
    const client = await context.target('node1').registries.open({ registry: '127.0.0.1:5000', tls: false });
    const names: string[] = [];
    for await (const name of client.repositories(2)) names.push(name);
    assert.deepEqual(names, ['a', 'b', 'c', 'hello-world', 'nginx']);
    const pushed = (
      await run('docker image inspect -f "{{range .RepoDigests}}{{println .}}{{end}}" hello-world | grep 127.0.0.1:5000/hello-world@')
    ).trim();
    const manifest = await client.manifest('hello-world', 'latest');
    assert.equal(manifest?.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(`127.0.0.1:5000/hello-world@${manifest?.digest}`, pushed, 'the stored digest, not a schema1 rewrite');
    assert.deepEqual(await client.manifest('hello-world', manifest!.digest), manifest, 'by digest too');
    assert.equal(await client.manifest('hello-world', 'nope'), undefined);
    assert.equal(await client.tags('nope'), undefined);
  });

  describe('over TLS', () => {
    before(async () => {
      // A CA, and certificates it signs: one for node1 and 127.0.0.1, one for node1 only, one without SAN.
      await run(`mkdir -p /root/certs && cd /root/certs &&
        openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 1 -subj "/CN=Lab CA" -keyout ca.key -out ca.crt 2>/dev/null &&
        openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 1 -subj "/CN=Other CA" -keyout other.key -out other.crt 2>/dev/null &&
        sign() { openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$2" -keyout $1.key -out $1.csr 2>/dev/null &&
          openssl x509 -req -in $1.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -out $1.crt $3 2>/dev/null; } &&
        printf 'subjectAltName = DNS:node1,IP:127.0.0.1\\n' > san.ext && printf 'subjectAltName = DNS:node1\\n' > dns.ext &&
        sign domain 127.0.0.1 "-extfile san.ext" && sign dnsonly node1 "-extfile dns.ext" && sign cnonly 127.0.0.1 ""`);
    });

    const tlsRegistry = (name: string, port: number, cert: string) =>
      run(`docker run -d --name ${name} -p ${port}:5000 -v /root/certs:/certs -e REGISTRY_HTTP_TLS_CERTIFICATE=/certs/${cert}.crt -e REGISTRY_HTTP_TLS_KEY=/certs/${cert}.key registry &&
        ${waitForUrl(`https://127.0.0.1:${port}/v2/`, '-k')}`);

    test('registry-serves-tls: the certificate for the name used, signed by the CA', async () => {
      const servesTls = (registry: string, ca = '/root/certs/ca.crt') => messageOf(check(context, 'registry-serves-tls', { registry, ca }));
      assert.deepEqual(await servesTls('127.0.0.1:5443'), {
        passed: false,
        message: 'nothing answers on 127.0.0.1:5443 in node1: start the registry with its port published there (-p 5443:5000)',
      });
      assert.deepEqual(await servesTls('127.0.0.1:5000'), {
        passed: false,
        message:
          'the registry on 127.0.0.1:5000 in node1 serves plain HTTP, not HTTPS: give it a certificate and key (REGISTRY_HTTP_TLS_CERTIFICATE, REGISTRY_HTTP_TLS_KEY)',
      });
      await tlsRegistry('tls', 5443, 'domain');
      assert.deepEqual(await servesTls('127.0.0.1:5443'), {
        passed: true,
        message: 'the certificate served on 127.0.0.1:5443 in node1 is valid for 127.0.0.1 and signed by the CA in /root/certs/ca.crt',
      });
      assert.equal((await servesTls('node1:5443')).passed, true, 'by name, with SNI');
      assert.deepEqual(await servesTls('127.0.0.1:5443', '/root/certs/other.crt'), {
        passed: false,
        message:
          'the certificate served on 127.0.0.1:5443 in node1 is not signed by the CA in /root/certs/other.crt (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      });
      assert.deepEqual(await servesTls('127.0.0.1:5443', '/root/certs/missing.crt'), {
        passed: false,
        message: 'there is no /root/certs/missing.crt in node1 (the CA certificate the check trusts)',
      });
      await tlsRegistry('tls-dns', 5444, 'dnsonly');
      assert.deepEqual(await servesTls('127.0.0.1:5444'), {
        passed: false,
        message:
          'the certificate served on 127.0.0.1:5444 in node1 is not valid for 127.0.0.1 (it names DNS:node1): make it with -addext "subjectAltName = IP:127.0.0.1"',
      });
      await tlsRegistry('tls-cn', 5445, 'cnonly');
      assert.deepEqual(await servesTls('127.0.0.1:5445'), {
        passed: false,
        message:
          'the certificate served on 127.0.0.1:5445 in node1 has no subjectAltName (only CN=127.0.0.1), and clients ignore the CN: make it with -addext "subjectAltName = IP:127.0.0.1"',
      });
    });

    test('content checks over HTTPS, and the wrong protocol either way', async () => {
      await run('docker tag hello-world 127.0.0.1:5443/hello-world && docker push -q 127.0.0.1:5443/hello-world');
      const params = { registry: '127.0.0.1:5443', repository: 'hello-world', ca: '/root/certs/ca.crt' };
      assert.equal((await check(context, 'registry-has-repo', params)).passed, true);
      assert.equal((await check(context, 'registry-has-tag', { ...params, image: 'hello-world' })).passed, true);
      assert.match(
        (await check(context, 'registry-has-repo', { ...params, ca: '/root/certs/other.crt' })).message,
        /is not signed by the CA in \/root\/certs\/other.crt$/,
      );
      assert.equal(
        (await check(context, 'registry-has-repo', { registry: '127.0.0.1:5443', repository: 'hello-world', tls: true })).passed,
        true,
        'tls without a CA does not verify',
      );
      assert.deepEqual(await messageOf(check(context, 'registry-answers', { registry: '127.0.0.1:5443' })), {
        passed: false,
        message: 'the registry on 127.0.0.1:5443 in node1 serves HTTPS, not plain HTTP',
      });
      assert.match((await check(context, 'registry-answers', { registry: '127.0.0.1:5000', tls: true })).message, /serves plain HTTP, not HTTPS/);
    });

    test('a new CA made after the first check is read again', async () => {
      assert.equal((await check(context, 'registry-serves-tls', { registry: '127.0.0.1:5443', ca: '/root/certs/current.crt' })).passed, false);
      await run('cp /root/certs/other.crt /root/certs/current.crt');
      assert.equal((await check(context, 'registry-serves-tls', { registry: '127.0.0.1:5443', ca: '/root/certs/current.crt' })).passed, false);
      await run('cp /root/certs/ca.crt /root/certs/current.crt');
      assert.equal((await check(context, 'registry-serves-tls', { registry: '127.0.0.1:5443', ca: '/root/certs/current.crt' })).passed, true);
    });
  });

  describe('with basic auth', () => {
    before(async () => {
      await run(`mkdir -p /root/auth && htpasswd -Bbn moby gordon > /root/auth/htpasswd &&
        docker run -d --name auth -p 5050:5000 -v /root/auth:/auth -e REGISTRY_AUTH=htpasswd -e "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm" -e REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd registry &&
        ${waitForUrl('http://127.0.0.1:5050/v2/')}`);
    });

    test('registry-requires-auth: a 401 with a Basic challenge, and the credentials work', async () => {
      const requiresAuth = (registry: string, creds: object = {}) => messageOf(check(context, 'registry-requires-auth', { registry, ...creds }));
      assert.deepEqual(await requiresAuth('127.0.0.1:5000'), {
        passed: false,
        message:
          'the registry on 127.0.0.1:5000 in node1 lets anyone in: start it with REGISTRY_AUTH=htpasswd, REGISTRY_AUTH_HTPASSWD_REALM and REGISTRY_AUTH_HTPASSWD_PATH',
      });
      assert.deepEqual(await requiresAuth('127.0.0.1:5050'), {
        passed: true,
        message: 'the registry on 127.0.0.1:5050 in node1 asks for a login (Basic realm="Registry Realm")',
      });
      assert.equal((await requiresAuth('127.0.0.1:5050', { username: 'moby', password: 'gordon' })).passed, true);
      assert.deepEqual(await requiresAuth('127.0.0.1:5050', { username: 'moby', password: 'wrong' }), {
        passed: false,
        message:
          'the registry on 127.0.0.1:5050 in node1 refuses the login of moby: check the password, and that the htpasswd file was made with htpasswd -B (bcrypt)',
      });
    });

    test('content checks log in with the credentials given', async () => {
      const params = { registry: '127.0.0.1:5050', repository: 'hello-world' };
      assert.deepEqual(await messageOf(check(context, 'registry-has-repo', params)), {
        passed: false,
        message: 'the registry on 127.0.0.1:5050 in node1 asks for a login (Basic realm="Registry Realm") to read its catalog',
      });
      assert.match((await check(context, 'registry-has-repo', { ...params, username: 'moby', password: 'gordon' })).message, /has no repository yet/);
      await run(
        'docker login -u moby -p gordon 127.0.0.1:5050 2>/dev/null && docker tag hello-world 127.0.0.1:5050/hello-world && docker push -q 127.0.0.1:5050/hello-world',
      );
      assert.equal(
        (await check(context, 'registry-has-tag', { ...params, username: 'moby', password: 'gordon', image: 'hello-world' })).passed,
        true,
      );
      assert.equal((await check(context, 'registry-answers', { registry: '127.0.0.1:5050', username: 'moby', password: 'gordon' })).passed, true);
      assert.match(
        (await check(context, 'registry-answers', { registry: '127.0.0.1:5050' })).message,
        /asks for a login \(Basic realm="Registry Realm"\)$/,
      );
    });
  });
});

async function messageOf(result: Promise<{ passed: boolean; message: string }>): Promise<{ passed: boolean; message: string }> {
  const { passed, message } = await result;
  return { passed, message };
}
