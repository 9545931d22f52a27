import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envName, loadConfig } from './config.ts';

test('defaults apply when nothing is set, and the result is frozen', () => {
  const config = loadConfig({});
  assert.equal(config.poolSize, 3);
  assert.equal(config.mirrorUpstream, 'auto');
  assert.equal(config.hubPort, 0);
  assert.ok(Object.isFrozen(config));
});

test('environment variables are named after the keys and parsed to their types', () => {
  assert.equal(envName('hostMemoryMib'), 'DRYDOCK_HOST_MEMORY_MIB');
  const config = loadConfig({ DRYDOCK_POOL_SIZE: '5', DRYDOCK_HOST_CPUS: '0.5', DRYDOCK_OWNER: 'team-a' });
  assert.equal(config.poolSize, 5);
  assert.equal(config.hostCpus, 0.5);
  assert.equal(config.owner, 'team-a');
});

test('every invalid value is reported with the variable to fix', () => {
  assert.throws(
    () => loadConfig({ DRYDOCK_POOL_SIZE: 'many', DRYDOCK_OWNER: 'Team A', DRYDOCK_MIRROR_UPSTREAM: 'not a url' }),
    (err: Error) => {
      assert.match(err.message, /DRYDOCK_POOL_SIZE: /);
      assert.match(err.message, /DRYDOCK_OWNER: lower-case letters, digits and dashes/);
      assert.match(err.message, /DRYDOCK_MIRROR_UPSTREAM: /);
      return true;
    },
  );
});

test('a host disk as large as its memory is refused, naming both settings', () => {
  assert.throws(
    () => loadConfig({ DRYDOCK_HOST_MEMORY_MIB: '512', DRYDOCK_HOST_DISK_MIB: '512' }),
    /DRYDOCK_HOST_DISK_MIB: must be smaller than DRYDOCK_HOST_MEMORY_MIB/,
  );
  assert.equal(loadConfig({ DRYDOCK_HOST_MEMORY_MIB: '512', DRYDOCK_HOST_DISK_MIB: '256' }).hostDiskMib, 256);
});

test('the ports origin is its own: never an allowed origin of the API, never the same port', () => {
  const config = loadConfig({ DRYDOCK_PORTS_ORIGIN: 'https://ports.example.org/' });
  assert.equal(config.portsOrigin, 'https://ports.example.org');
  assert.equal(config.portsPort, 8081);
  assert.throws(
    () => loadConfig({ DRYDOCK_PORTS_ORIGIN: 'https://ports.example.org', DRYDOCK_ALLOWED_ORIGINS: 'https://ports.example.org/' }),
    /DRYDOCK_PORTS_ORIGIN: must not be one of DRYDOCK_ALLOWED_ORIGINS/,
  );
  assert.throws(() => loadConfig({ DRYDOCK_PORT: '9000', DRYDOCK_PORTS_PORT: '9000' }), /DRYDOCK_PORTS_PORT: must differ from DRYDOCK_PORT/);
});

test('a cluster needs its manager and TLS material, and says which isolation it gives', () => {
  const cluster = { DRYDOCK_SANDBOX: 'cluster', DRYDOCK_ISOLATION: 'privileged' };
  assert.equal(loadConfig({}).sandbox, 'machine');
  assert.throws(() => loadConfig(cluster), /DRYDOCK_CLUSTER_MANAGER: a cluster needs DRYDOCK_CLUSTER_MANAGER/);
  assert.throws(() => loadConfig({ ...cluster, DRYDOCK_CLUSTER_MANAGER: '10.0.0.5:2376', DRYDOCK_CLUSTER_TLS_DIR: '/tls' }), /tcp:\/\/ADDRESS:PORT/);
  const full = { ...cluster, DRYDOCK_CLUSTER_MANAGER: 'tcp://10.0.0.5:2376', DRYDOCK_CLUSTER_TLS_DIR: '/tls' };
  assert.equal(loadConfig(full).clusterManager, 'tcp://10.0.0.5:2376');
  assert.throws(() => loadConfig({ ...full, DRYDOCK_ISOLATION: 'userns' }), /DRYDOCK_ISOLATION: must be `privileged` with DRYDOCK_SANDBOX=cluster/);
});
