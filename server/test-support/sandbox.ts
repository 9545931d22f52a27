/** Test helpers for suites that need a real engine and lab hosts. Not used in production code. */
import { randomBytes, randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_SOCKETS, loadConfig, type Config } from '../config/config.ts';
import { createLogger } from '../logging/logger.ts';
import { connectDocker } from '../sandbox/docker-client.ts';
import { DockerSandbox } from '../sandbox/docker-sandbox.ts';
import type { LabHost } from '../sandbox/sandbox.ts';
import { ownerFilter } from '../sandbox/labels.ts';

/** A config whose owner is unique to this test run, so its sweep touches nothing else. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // A webhook port and a Docker Hub stand-in port of its own, so tests run beside a Drydock server and beside each other; from
  // a small range, so the firewall (which only ever adds open ports) gains at most a hundred.
  const hooksPort = 18_100 + randomInt(100);
  const hubPort = 18_200 + randomInt(100);
  // A data folder shared by the tests that need no store of their own: the sandbox keeps the Docker Hub stand-in's certificate there, not in the repository's.
  const dataDir = join(tmpdir(), 'drydock-test-data');
  return loadConfig(process.env, {
    owner: `test-${randomBytes(3).toString('hex')}`,
    poolSize: 0,
    hooksPort,
    hubPort,
    portsPort: 0,
    dataDir,
    ...overrides,
  });
}

/** A test config for privileged hosts on the machine's own engine: the fallback, and the control runs of the escape suite. */
export function privilegedTestConfig(overrides: Partial<Config> = {}): Config {
  return testConfig({ isolation: 'privileged', dockerHost: ENGINE_SOCKETS.privileged, ...overrides });
}

export function startTestSandbox(config: Config): Promise<DockerSandbox> {
  return DockerSandbox.start(config, createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'silent'));
}

/** Runs a bash script in a host and fails with its output when it exits non-zero. */
export async function sh(host: LabHost, script: string): Promise<string> {
  const r = await host.exec(['bash', '-c', script]);
  if (r.exitCode !== 0) {
    throw new Error(`in ${host.name}: \`${script}\` exited ${r.exitCode}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r.stdout;
}

/** Every container, network and volume that carries this owner's labels. */
export async function ownedResources(config: Config): Promise<string[]> {
  const docker = connectDocker(config.dockerHost);
  const filters = ownerFilter(config.owner);
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

/** The lab host containers of this owner (not its lease, while its server runs). */
export async function hostContainers(config: Config): Promise<string[]> {
  const docker = connectDocker(config.dockerHost);
  const containers = await docker.listContainers({ all: true, filters: ownerFilter(config.owner, 'host') });
  return containers.map((c) => c.Names[0]!);
}
