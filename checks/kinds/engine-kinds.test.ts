import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DockerSandbox } from '../../server/sandbox/docker-sandbox.ts';
import type { HostGroup } from '../../server/sandbox/sandbox.ts';
import { sh, startTestSandbox, testConfig } from '../../server/test-support/sandbox.ts';
import { CheckContext } from '../check-context.ts';
import { check, eventually } from '../test-support/check-runner.ts';

// Engine state and files of real lab hosts, read through the Engine API (files through exec).
describe('engine checks against real lab hosts', { timeout: 300_000 }, () => {
  let sandbox: DockerSandbox;
  let session: HostGroup;
  let context: CheckContext;
  const run = (script: string, host = 'node1') => sh(session.host(host), script);
  const verdict = async (kind: string, params: Record<string, unknown>, host = 'node1') => {
    const { passed, message } = await check(context, kind, params, host);
    return { passed, message };
  };

  before(async () => {
    sandbox = await startTestSandbox(testConfig());
    session = await sandbox.createHostGroup({ hostNames: ['node1', 'node2'] });
    context = new CheckContext(session);
  });

  after(async () => {
    context?.close();
    await sandbox?.close();
  });

  test('image-present and image-absent', async () => {
    const present = (image: string) => verdict('image-present', { image });
    assert.deepEqual(await present('hello-world'), {
      passed: false,
      message: 'there is no image hello-world in node1: pull it, or tag an image with that name (docker tag SOURCE hello-world)',
    });
    assert.equal((await verdict('image-absent', { image: 'hello-world' })).passed, true);
    await run('docker pull -q hello-world');
    assert.equal((await present('hello-world')).passed, true);
    assert.equal((await present('hello-world:latest')).passed, true);
    assert.equal((await present('127.0.0.1:5000/hello-world')).passed, false, 'another name is another image reference');
    await run('docker tag hello-world 127.0.0.1:5000/hello-world');
    assert.deepEqual(await verdict('image-absent', { image: '127.0.0.1:5000/hello-world' }), {
      passed: false,
      message: 'the image 127.0.0.1:5000/hello-world is still in node1: remove it with docker image rm 127.0.0.1:5000/hello-world',
    });
    assert.equal((await present('hello-world')).passed, true, 'other hosts do not count either way');
    assert.equal((await verdict('image-present', { image: 'hello-world' }, 'node2')).passed, false);
  });

  test('container-running: name, image, ports, restart policy, env and mounts', async () => {
    const wanted = {
      name: 'registry',
      image: 'registry',
      publish: '5000:5000',
      restart: 'always',
      env: { REGISTRY_STORAGE_DELETE_ENABLED: true },
      mounts: [{ target: '/var/lib/registry', source: '/root/registry-data' }],
    };
    assert.deepEqual(await verdict('container-running', wanted), {
      passed: false,
      message: 'there is no container named registry in node1: start one with docker run -d --name registry -p 5000:5000 --restart always registry',
    });
    await run('docker run -d --name registry -p 5001:5000 registry:2');
    assert.deepEqual(await verdict('container-running', wanted), {
      passed: false,
      message:
        'the container registry runs, but it publishes 5001:5000, not 5000:5000 (docker run -p 5000:5000); ' +
        'its restart policy is no, not always (docker run --restart always, or docker update --restart always); ' +
        'it has no REGISTRY_STORAGE_DELETE_ENABLED in its environment (-e REGISTRY_STORAGE_DELETE_ENABLED=true); ' +
        'it mounts ' +
        (await anonymousVolume()) +
        ' on /var/lib/registry, not /root/registry-data',
    });
    assert.deepEqual(await verdict('container-running', { name: 'registry', image: 'nginx' }), {
      passed: false,
      message: 'the container registry runs, but it runs registry:2, not nginx',
    });
    assert.equal((await verdict('container-running', { name: 'registry', image: 'registry:2' })).passed, true);
    assert.equal((await verdict('container-running', { name: 'registry', image: 'registry:latest' })).passed, false, 'a tag given is a tag required');
    await run('docker stop -t 1 registry');
    assert.match(
      (await verdict('container-running', { name: 'registry' })).message,
      /^the container named registry is exited, not running: see docker logs registry/,
    );
    await run(
      'docker rm registry && docker run -d --name registry -p 5000:5000 --restart always -e REGISTRY_STORAGE_DELETE_ENABLED=true -v /root/registry-data:/var/lib/registry registry',
    );
    assert.deepEqual(await verdict('container-running', wanted), { passed: true, message: 'the container registry runs in node1' });
    assert.equal((await verdict('container-running', { image: 'registry', publish: ['5000:5000'] })).passed, true, 'found by image alone');
    assert.equal((await verdict('container-running', { image: 'nginx' })).passed, false);
    assert.equal((await verdict('container-running', { name: 'registry' }, 'node2')).passed, false);

    async function anonymousVolume(): Promise<string> {
      return (await run('docker inspect -f "{{range .Mounts}}{{.Name}}{{end}}" registry')).trim();
    }
  });

  test('daemon-config: the settings in force, not the file', async () => {
    assert.equal(
      (await verdict('daemon-config', { mirrors: 'http://drydock-mirror:5000', insecureRegistries: ['drydock-mirror:5000', '127.0.0.0/8'] })).passed,
      true,
    );
    const wanted = { insecureRegistries: 'node1:5000' };
    assert.deepEqual(await verdict('daemon-config', wanted), {
      passed: false,
      message:
        'the engine of node1 does not treat node1:5000 as insecure: add it to "insecure-registries" in /etc/docker/daemon.json, ' +
        'then reload the engine (kill -HUP $(pidof dockerd)) or restart it (systemctl restart docker)',
    });
    await run(`jq '."insecure-registries" += ["node1:5000"]' /etc/docker/daemon.json > /tmp/d.json && cp /tmp/d.json /etc/docker/daemon.json`);
    assert.equal((await verdict('daemon-config', wanted)).passed, false, 'an edited file without a reload');
    await run('kill -HUP "$(cat /run/drydock/docker.pid)"');
    assert.equal((await eventually(() => check(context, 'daemon-config', wanted), 10_000)).passed, true);
    assert.match(
      (await verdict('daemon-config', { mirrors: ['http://node1:5000'] })).message,
      /does not use the mirror http:\/\/node1:5000 \(it uses http:\/\/drydock-mirror:5000\/\)/,
    );
  });

  test('daemon-trusts-ca and file-exists', async () => {
    await run(
      'mkdir -p /root/certs && cd /root/certs && for n in domain other; do openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=$n -keyout $n.key -out $n.crt 2>/dev/null; done',
    );
    const trusts = (ca?: string) => verdict('daemon-trusts-ca', { registry: 'node1:5000', ...(ca ? { ca } : {}) });
    assert.deepEqual(await trusts(), {
      passed: false,
      message:
        'there is no CA certificate (*.crt) in /etc/docker/certs.d/node1:5000/ in node1: mkdir -p /etc/docker/certs.d/node1:5000 && cp CA.crt /etc/docker/certs.d/node1:5000/ca.crt',
    });
    await run('mkdir -p /etc/docker/certs.d/node1:5000 && cp /root/certs/other.crt /etc/docker/certs.d/node1:5000/ca.crt');
    assert.equal((await trusts()).passed, true);
    assert.match(
      (await trusts('/root/certs/domain.crt')).message,
      /^the certificate in \/etc\/docker\/certs.d\/node1:5000\/ is not \/root\/certs\/domain.crt/,
    );
    await run('cp /root/certs/domain.crt /etc/docker/certs.d/node1:5000/ca.crt');
    assert.equal((await trusts('/root/certs/domain.crt')).passed, true);

    assert.deepEqual(await verdict('file-exists', { path: '/etc/docker/daemon.json', contains: '"registry-mirrors"' }), {
      passed: true,
      message: '/etc/docker/daemon.json in node1 contains "registry-mirrors"',
    });
    assert.equal((await verdict('file-exists', { path: '/etc/docker/certs.d' })).passed, true);
    assert.deepEqual(await verdict('file-exists', { path: '/root/auth/htpasswd' }), {
      passed: false,
      message: 'there is no /root/auth/htpasswd in node1',
    });
    assert.deepEqual(await verdict('file-exists', { path: '/etc/docker/daemon.json', contains: 'debug' }), {
      passed: false,
      message: '/etc/docker/daemon.json in node1 does not contain debug',
    });
  });

  test('command: exit code and output', async () => {
    assert.deepEqual(await verdict('command', { run: 'docker ps --format "{{.Names}}"', output: '^registry$' }), {
      passed: true,
      message: '`docker ps --format "{{.Names}}"` succeeds',
    });
    assert.deepEqual(await verdict('command', { run: 'docker ps --format "{{.Names}}"', output: '^web$', title: 'a container named web runs' }), {
      passed: false,
      message: '`docker ps --format "{{.Names}}"` printed no match for ^web$ (it said: registry)',
    });
    assert.deepEqual(await verdict('command', { run: 'curl -sf http://127.0.0.1:5999/', message: 'nothing answers on 5999 yet' }), {
      passed: false,
      message: 'nothing answers on 5999 yet',
    });
    assert.equal((await verdict('command', { run: 'curl -sf http://127.0.0.1:5999/', exitCode: 7 })).passed, true);
  });

  test('swarm-active, swarm-node and swarm-service', async () => {
    assert.deepEqual(await verdict('swarm-active', { role: 'manager' }), {
      passed: false,
      message: 'node1 is not in a swarm (its state is inactive): docker swarm init --advertise-addr ADDRESS',
    });
    assert.deepEqual(await verdict('swarm-service', { name: 'registry' }), {
      passed: false,
      message: 'node1 is not a swarm manager, so it cannot see services: docker swarm init first',
    });
    const address = session.host('node1').address;
    await run(`docker swarm init --advertise-addr ${address}`);
    assert.deepEqual(await verdict('swarm-active', { role: 'manager', nodes: 2 }), {
      passed: false,
      message: 'the swarm of node1 has 1 ready node, not 2: join the others with docker swarm join',
    });
    const token = (await run('docker swarm join-token -q worker')).trim();
    await run(`docker swarm join --token ${token} ${address}:2377`, 'node2');
    assert.equal((await eventually(() => check(context, 'swarm-active', { role: 'manager', nodes: 2 }))).passed, true);
    assert.equal((await verdict('swarm-active', { role: 'worker' }, 'node2')).passed, true);
    assert.deepEqual(await verdict('swarm-active', { role: 'manager' }, 'node2'), {
      passed: false,
      message: 'node2 is a swarm worker, not a manager',
    });

    const labelled = { node: 'node2', role: 'worker', labels: { registry: true } };
    assert.deepEqual(await verdict('swarm-node', labelled), {
      passed: false,
      message: 'node2 has no label registry=true: docker node update --label-add registry=true node2',
    });
    await run('docker node update --label-add registry=true node2');
    assert.deepEqual(await verdict('swarm-node', labelled), { passed: true, message: 'node2 is a ready worker' });

    const service = {
      name: 'registry',
      image: 'registry',
      replicas: 1,
      publish: { published: 5002, target: 5000, mode: 'host' },
      constraints: 'node.labels.registry == true',
    };
    assert.deepEqual(await verdict('swarm-service', service), {
      passed: false,
      message: 'there is no service registry: docker service create --name registry ...',
    });
    await run(
      'docker service create -d --name registry --publish published=5002,target=5000,mode=host --constraint node.labels.registry==true registry',
    );
    assert.deepEqual(await messageOf(eventually(() => check(context, 'swarm-service', service), 60_000)), {
      passed: true,
      message: 'the service registry runs 1 task',
    });
    assert.deepEqual(await verdict('swarm-service', { ...service, publish: { published: 5002, target: 5000, mode: 'ingress' } }), {
      passed: false,
      message: 'the service registry publishes 5002 in host mode, not ingress',
    });
    assert.deepEqual(await verdict('swarm-service', { ...service, replicas: 2 }), {
      passed: false,
      message: 'the service registry asks for 1 replicas, not 2: docker service scale registry=2',
    });
    assert.deepEqual(await verdict('swarm-service', { ...service, constraints: 'node.role==manager' }), {
      passed: false,
      message: "the service registry has no placement constraint node.role==manager (--constraint 'node.role==manager')",
    });
    assert.equal(
      (await verdict('container-running', { image: 'registry', publish: '5002:5000' }, 'node2')).passed,
      true,
      'its task runs on the labelled node',
    );
  });
});

async function messageOf(result: Promise<{ passed: boolean; message: string }>): Promise<{ passed: boolean; message: string }> {
  const { passed, message } = await result;
  return { passed, message };
}
