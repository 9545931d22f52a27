/**
 * Test support: a Docker Swarm cluster of simulated lab nodes (images/node) on this one machine.
 *
 * Each node is a container of the machine's engine (/var/run/docker.sock, never Drydock's own),
 * with its own engine behind mutual TLS on :2376, its own docker_gwbridge subnet routed from this
 * machine through it, and the lab images loaded. node1 is the manager; the others join as workers.
 * Tests run as root: the routes need it.
 */
import { execFile } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { LABHOST_IMAGE, mirroredRefs } from '../sandbox/images/catalog.ts';
import { overlaps } from '../sandbox/subnets.ts';

// Docker Hub is out of reach here, so testcontainers' reaper (Ryuk, an image it would pull) stays
// off; close() removes what a run made, and the label below finds what a crashed run left.
// testcontainers reads this when it first needs the reaper (at the first build or start), not at import.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

/** On every container of a run, with the run's id: `docker ps -a --filter label=io.drydock.test-cluster`. */
export const CLUSTER_LABEL = 'io.drydock.test-cluster';

const NODE_IMAGE = 'drydock/node:latest';
const NODE_CONTEXT = fileURLToPath(new URL('../../images/node/', import.meta.url));
const ENGINE_PORT = 2376;
/** Each node's docker_gwbridge is a /24 of this range, routed from this machine through the node. */
const GWBRIDGE_RANGE = '10.219.0.0/16';
/** Swarm's overlay networks: its default 10.0.0.0/8 would cover the session subnets (10.213.0.0/16). */
const SWARM_POOL_CANDIDATES = ['10.215.0.0/16', '10.217.0.0/16', '10.218.0.0/16'];
const ENGINE_TIMEOUT_MS = 60_000;

const run = promisify(execFile);

export interface TestNode {
  /** Swarm node hostname: node1, node2, ... */
  readonly name: string;
  /** The node's address on the cluster network (its swarm advertise address). */
  readonly address: string;
  /** The subnet of the node's docker_gwbridge, routed from this machine through the node. */
  readonly hostSubnet: string;
  /** Stops the node's container abruptly (docker kill): a machine that dies. */
  kill(): Promise<void>;
}

export interface TestCluster {
  /** This run's value of CLUSTER_LABEL on its containers and network. */
  readonly runId: string;
  /** tcp://ADDRESS:2376 of the manager node's engine (mutual TLS). */
  readonly managerHost: string;
  /** Folder with ca.pem, cert.pem, key.pem: a client certificate every node's engine accepts. */
  readonly tlsDir: string;
  readonly nodes: readonly TestNode[];
  /** This machine's address on the cluster network: where nodes (and lab hosts through them) reach the server. */
  readonly serverAddress: string;
  /** The overlay address pool the swarm allocates from (chosen to overlap nothing on this machine). */
  readonly swarmAddressPool: string;
  /** A dockerode client for a node's engine (mutual TLS), for tests that look at a node directly. */
  engine(node: TestNode): Docker;
  close(): Promise<void>;
}

export interface TestClusterOptions {
  /** How many nodes (default 3); node1 is the manager. */
  nodes?: number;
  /** Local images of the machine's engine loaded into every node (default: the lab host and the mirrored images). */
  images?: readonly string[];
}

/** The images a node needs to run lab hosts: the lab host itself and what the mirror serves. */
export function defaultClusterImages(): string[] {
  return [...new Set([LABHOST_IMAGE, 'registry:2', ...mirroredRefs().map((r) => r.local)])];
}

interface NodeState {
  name: string;
  container?: StartedTestContainer;
  address?: string;
  hostSubnet?: string;
  engine?: Docker;
  routed?: boolean;
}

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const count = options.nodes ?? 3;
  const images = options.images ?? defaultClusterImages();
  if (count < 1) throw new Error(`test cluster: nodes must be at least 1, not ${count}`);
  const runId = randomBytes(4).toString('hex');
  const machine = new Docker({ socketPath: '/var/run/docker.sock' });
  const nodes: NodeState[] = Array.from({ length: count }, (_, i) => ({ name: `node${i + 1}` }));
  let networkId: string | undefined;
  let tlsDir: string | undefined;
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const problems: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      try {
        await work();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    await Promise.all(
      nodes.map(async (node) => {
        if (node.routed) await attempt(`route ${node.hostSubnet}`, () => run('ip', ['route', 'del', node.hostSubnet!, 'via', node.address!]));
        // v: the node's disk is an anonymous volume holding its images; it goes with the node.
        if (node.container) await attempt(`container ${node.name}`, () => removeContainer(machine, node.container!.getId()));
      }),
    );
    if (networkId) await attempt('network', () => machine.getNetwork(networkId!).remove());
    if (tlsDir) await attempt('TLS folder', () => rm(tlsDir!, { recursive: true, force: true }));
    if (problems.length > 0) throw new Error(`test cluster ${runId}: clean-up left things behind: ${problems.join('; ')}`);
  };

  let step = 'starting';
  const started = Date.now();
  const stepDone = (name: string): void => debug(`${runId} ${name} done at ${Date.now() - started} ms`);
  try {
    step = 'choosing subnets';
    const used = await usedSubnets();
    const gwSubnets = pickGwbridgeSubnets(count, used);
    const swarmPool = SWARM_POOL_CANDIDATES.find((c) => !used.some((u) => overlaps(c, u)));
    if (!swarmPool) throw new Error(`every swarm address pool candidate (${SWARM_POOL_CANDIDATES.join(', ')}) overlaps a route here`);

    step = `building ${NODE_IMAGE} from ${NODE_CONTEXT}`;
    await GenericContainer.fromDockerfile(NODE_CONTEXT).build(NODE_IMAGE, { deleteOnExit: false });
    stepDone('build');

    step = 'creating the cluster network';
    // dockerode rather than testcontainers' Network, which cannot label a network.
    const network = await machine.createNetwork({
      Name: `drydock-test-cluster-${runId}`,
      Driver: 'bridge',
      Labels: { [CLUSTER_LABEL]: runId },
    });
    networkId = network.id;
    const networkName = `drydock-test-cluster-${runId}`;
    const gateway = ((await network.inspect()) as Docker.NetworkInspectInfo).IPAM?.Config?.[0]?.Gateway;
    if (!gateway) throw new Error(`network ${networkName} has no gateway address`);

    step = 'making the TLS certificates';
    tlsDir = await mkdtemp(path.join(os.tmpdir(), `drydock-test-cluster-${runId}-`));
    const certs = tlsDir;
    await makeCa(certs);
    await makeClientCert(certs);
    const ca = await readFile(path.join(certs, 'ca.pem'));
    const clientCert = await readFile(path.join(certs, 'cert.pem'));
    const clientKey = await readFile(path.join(certs, 'key.pem'));

    step = `finding the images (${images.join(', ')}) on the machine's engine`;
    const ids = await imageIds(machine, images);

    step = 'starting the node containers';
    // The image save runs meanwhile: it reads only the machine's engine.
    const imageTar = cachedImageTar(machine, images, ids);
    imageTar.catch(() => {}); // awaited below; not an unhandled rejection if an earlier step throws
    await settleAll(
      nodes.map(async (node, i) => {
        node.container = await nodeContainer(node.name, networkName, runId).start();
        node.address = node.container.getIpAddress(networkName);
        node.hostSubnet = gwSubnets[i]!;
      }),
    );
    stepDone('containers');

    step = 'giving the nodes their certificates and waiting for their engines';
    // Loading the images (tens of seconds) starts as each engine answers, and overlaps the rest.
    const loads: Promise<void>[] = [];
    await settleAll(
      nodes.map(async (node) => {
        const { cert, key } = await makeServerCert(certs, node.name, node.address!);
        // Written from inside: drydock-init has moved the node's root onto an overlay by now, and
        // a file copied into the container's original root may stay hidden behind it (a lookup
        // the overlay already cached as missing), which left an engine without its certificate.
        const script =
          'mkdir -p /etc/docker/tls && cd /etc/docker/tls && printf %s "$1" > ca.pem && printf %s "$2" > cert.pem && (umask 077; printf %s "$3" > key.pem)';
        const written = await node.container!.exec(['sh', '-c', script, 'certs', ca.toString(), cert.toString(), key.toString()]);
        if (written.exitCode !== 0) throw new Error(`could not write ${node.name}'s certificates: ${written.output}`);
        node.engine = new Docker({ protocol: 'https', host: node.address!, port: ENGINE_PORT, ca, cert: clientCert, key: clientKey });
        await waitForEngine(node.engine, node.container!, `${node.name} (${node.address}:${ENGINE_PORT})`);
        const load = imageTar.then((tar) => loadImages(node.engine!, tar, node.name));
        load.catch(() => {}); // awaited below
        loads.push(load);
      }),
    );
    stepDone('engines');

    step = 'creating each node docker_gwbridge';
    await Promise.all(nodes.map((node) => createGwbridge(node.engine!, node.hostSubnet!)));

    step = 'forming the swarm';
    const [manager, ...workers] = nodes as [NodeState, ...NodeState[]];
    await manager.engine!.swarmInit({
      ListenAddr: '0.0.0.0:2377',
      AdvertiseAddr: manager.address,
      DefaultAddrPool: [swarmPool],
      SubnetSize: 24,
      // A dead node is declared down after a few missed heartbeats: 1 s instead of Swarm's 5 s
      // lets the node-death test see it in seconds (operators can do the same, docs/operators.md).
      Spec: { Dispatcher: { HeartbeatPeriod: 1_000_000_000 } },
    });
    const token = ((await manager.engine!.swarmInspect()) as { JoinTokens: { Worker: string } }).JoinTokens.Worker;
    await Promise.all(
      workers.map((node) =>
        node.engine!.swarmJoin({
          ListenAddr: '0.0.0.0:2377',
          AdvertiseAddr: node.address,
          RemoteAddrs: [`${manager.address}:2377`],
          JoinToken: token,
        }),
      ),
    );
    await waitForReadyNodes(manager.engine!, count);
    stepDone('swarm');

    step = 'routing each docker_gwbridge subnet through its node';
    for (const node of nodes) {
      await run('ip', ['route', 'replace', node.hostSubnet!, 'via', node.address!]);
      node.routed = true;
    }

    step = 'loading the images into the nodes';
    await Promise.all(loads);
    stepDone('images');

    const testNodes: TestNode[] = nodes.map((node) => ({
      name: node.name,
      address: node.address!,
      hostSubnet: node.hostSubnet!,
      kill: async () => {
        await machine.getContainer(node.container!.getId()).kill();
      },
    }));
    return {
      runId,
      managerHost: `tcp://${manager.address}:${ENGINE_PORT}`,
      tlsDir: certs,
      nodes: testNodes,
      serverAddress: gateway,
      swarmAddressPool: swarmPool,
      engine(node) {
        const state = nodes.find((n) => n.name === node.name);
        if (!state) throw new Error(`test cluster ${runId} has no node ${node.name}`);
        return state.engine!;
      },
      close,
    };
  } catch (cause) {
    await close().catch((err: Error) => {
      (cause as Error).message += ` (and ${err.message})`;
    });
    throw new Error(`test cluster ${runId}: ${step} failed: ${(cause as Error).message}`, { cause });
  }
}

/** A node: the lab-host runtime options (host-spec.ts), as a machine needs them to run an engine in it. */
function nodeContainer(name: string, network: string, runId: string): GenericContainer {
  return new NodeContainer(NODE_IMAGE)
    .withHostname(name)
    .withName(`drydock-test-${runId}-${name}`)
    .withNetworkMode(network)
    .withLabels({ [CLUSTER_LABEL]: runId })
    .withAddedCapabilities('ALL')
    .withDroppedCapabilities('SYS_RESOURCE')
    .withSecurityOpt('seccomp=unconfined', 'apparmor=unconfined')
    .withTmpFs({ '/run': '' })
    .withBindMounts([{ source: '/sys/fs/cgroup', target: '/sys/fs/cgroup', mode: 'rw' }]);
}

/**
 * testcontainers 11 has no builder method for an anonymous volume or for `systempaths=unconfined`,
 * which is a docker CLI option, not an engine one: the CLI sends it as empty MaskedPaths and
 * ReadonlyPaths (the engine rejects it in SecurityOpt). Its create options are protected, so set here.
 */
class NodeContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    // The node's disk: drydock-init refuses to start without one, and the node's images live there.
    this.createOpts.Volumes = { '/.drydock-disk': {} };
    this.hostConfig.MaskedPaths = [];
    this.hostConfig.ReadonlyPaths = [];
  }
}

async function removeContainer(machine: Docker, id: string): Promise<void> {
  try {
    await machine.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}

async function waitForEngine(engine: Docker, container: StartedTestContainer, what: string): Promise<void> {
  const deadline = Date.now() + ENGINE_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await engine.ping();
      return;
    } catch (err) {
      last = err;
      await sleep(250);
    }
  }
  const log = await container.exec(['tail', '-n', '20', '/var/log/drydock/docker.log']).catch(() => undefined);
  throw new Error(
    `the engine of ${what} did not answer in ${ENGINE_TIMEOUT_MS / 1000} s (last: ${(last as Error)?.message}); its log:\n${log?.output ?? '(unreadable)'}`,
  );
}

async function waitForReadyNodes(manager: Docker, count: number): Promise<void> {
  const deadline = Date.now() + ENGINE_TIMEOUT_MS;
  let states = '';
  while (Date.now() < deadline) {
    const list = (await manager.listNodes()) as { Description?: { Hostname?: string }; Status?: { State?: string } }[];
    states = list.map((n) => `${n.Description?.Hostname}=${n.Status?.State}`).join(', ');
    if (list.length === count && list.every((n) => n.Status?.State === 'ready')) return;
    await sleep(250);
  }
  throw new Error(`the swarm did not have ${count} ready nodes in ${ENGINE_TIMEOUT_MS / 1000} s: ${states}`);
}

/** Before the swarm makes its own: ours has a subnet this machine can route to (one per node). */
async function createGwbridge(engine: Docker, subnet: string): Promise<void> {
  await engine.createNetwork({
    Name: 'docker_gwbridge',
    Driver: 'bridge',
    IPAM: { Config: [{ Subnet: subnet }] },
    Options: {
      'com.docker.network.bridge.name': 'docker_gwbridge',
      'com.docker.network.bridge.enable_icc': 'false',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
    },
  });
}

// ---- Images -------------------------------------------------------------------------------------

const TAR_PREFIX = 'drydock-test-cluster-images-';

/** Each image's id, so a missing image fails the start at once rather than after the nodes are up. */
async function imageIds(machine: Docker, images: readonly string[]): Promise<string[]> {
  return Promise.all(
    images.map(async (name) => {
      try {
        return `${name}=${(await machine.getImage(name).inspect()).Id}`;
      } catch (cause) {
        throw new Error(`image ${name} is not on the machine's engine (build it: npm run images)`, { cause });
      }
    }),
  );
}

/** A cache unused this long is removed when another is written. */
const TAR_KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * One `docker save` of the images, cached in the temp folder under a name derived from the image
 * ids (IMAGE_IDS), so a later run with the same images skips the save. Caches of other image sets
 * stay a day, so suites that load different images do not keep saving over each other's.
 */
async function cachedImageTar(machine: Docker, images: readonly string[], ids: readonly string[]): Promise<string> {
  const key = createHash('sha256')
    .update([...ids].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(os.tmpdir(), `${TAR_PREFIX}${key}.tar`);
  if (await stat(file).catch(() => undefined)) {
    const now = new Date();
    await utimes(file, now, now);
    return file;
  }
  const partial = `${file}.${process.pid}.partial`;
  const saver = machine as unknown as { getImages(opts: { names: readonly string[] }): Promise<NodeJS.ReadableStream> };
  try {
    await pipeline(await saver.getImages({ names: images }), createWriteStream(partial));
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  for (const old of await readdir(os.tmpdir())) {
    const oldFile = path.join(os.tmpdir(), old);
    if (!old.startsWith(TAR_PREFIX) || !old.endsWith('.tar') || oldFile === file) continue;
    const used = await stat(oldFile).catch(() => undefined);
    if (used && Date.now() - used.mtimeMs > TAR_KEEP_MS) await rm(oldFile, { force: true });
  }
  return file;
}

/** The engine answers 200 and reports a failed load in the stream, so the stream is read to its end. */
async function loadImages(engine: Docker, tar: string, node: string): Promise<void> {
  const response = await engine.loadImage(createReadStream(tar), { quiet: true });
  let body = '';
  for await (const chunk of response as AsyncIterable<Buffer>) body += chunk.toString();
  const failure = body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { error?: string })
    .find((msg) => msg.error);
  if (failure) throw new Error(`loading images into ${node}: ${failure.error}`);
}

// ---- TLS ----------------------------------------------------------------------------------------

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (err) {
    throw new Error(`openssl ${args.slice(0, 2).join(' ')}: ${(err as { stderr?: string }).stderr || (err as Error).message}`);
  }
}

async function makeCa(dir: string): Promise<void> {
  await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca-key.pem']);
  await openssl(dir, ['req', '-new', '-x509', '-key', 'ca-key.pem', '-days', '2', '-subj', '/CN=drydock test cluster CA', '-out', 'ca.pem']);
}

async function signed(dir: string, base: string, subject: string, extensions: string): Promise<void> {
  await openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${base}-key.pem`]);
  await openssl(dir, ['req', '-new', '-key', `${base}-key.pem`, '-subj', subject, '-out', `${base}.csr`]);
  await writeFile(path.join(dir, `${base}.ext`), extensions);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${base}.ext`,
    '-out',
    `${base}-cert.pem`,
  ]);
}

/** The client certificate (tlsDir/cert.pem, key.pem) every node's engine accepts. */
async function makeClientCert(dir: string): Promise<void> {
  await signed(dir, 'client', '/CN=drydock test client', 'extendedKeyUsage = clientAuth\n');
  await rename(path.join(dir, 'client-cert.pem'), path.join(dir, 'cert.pem'));
  await rename(path.join(dir, 'client-key.pem'), path.join(dir, 'key.pem'));
}

/** A node's server certificate: valid for its address and its name. Made one at a time (a shared CA serial file). */
let serverCertChain: Promise<unknown> = Promise.resolve();
function makeServerCert(dir: string, name: string, address: string): Promise<{ cert: Buffer; key: Buffer }> {
  const made = serverCertChain.then(async () => {
    await signed(dir, name, `/CN=${name}`, `subjectAltName = IP:${address}, DNS:${name}\nextendedKeyUsage = serverAuth\n`);
    return { cert: await readFile(path.join(dir, `${name}-cert.pem`)), key: await readFile(path.join(dir, `${name}-key.pem`)) };
  });
  serverCertChain = made.catch(() => {});
  return made;
}

// ---- Subnets ------------------------------------------------------------------------------------

/** Every IPv4 subnet this machine already has: interface addresses and route destinations. */
async function usedSubnets(): Promise<string[]> {
  const subnets = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a?.family === 'IPv4')
    .map((a) => a!.cidr!)
    .filter(Boolean);
  const { stdout } = await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all']);
  for (const route of JSON.parse(stdout) as { dst: string }[]) {
    if (route.dst === 'default') continue;
    subnets.push(route.dst.includes('/') ? route.dst : `${route.dst}/32`);
  }
  return subnets;
}

/**
 * COUNT free /24s of GWBRIDGE_RANGE, from a random start: a route left by a crashed run (still
 * in the route table while its network lives) is skipped, and two runs are unlikely to pick the same.
 */
function pickGwbridgeSubnets(count: number, used: readonly string[]): string[] {
  const [base] = GWBRIDGE_RANGE.split('/') as [string];
  const [a, b] = base.split('.');
  const start = randomBytes(1)[0]!;
  const picked: string[] = [];
  for (let i = 0; i < 256 && picked.length < count; i++) {
    const subnet = `${a}.${b}.${(start + i) % 256}.0/24`;
    if (!used.some((u) => overlaps(subnet, u))) picked.push(subnet);
  }
  if (picked.length < count) throw new Error(`no ${count} free /24 subnets in ${GWBRIDGE_RANGE}`);
  return picked;
}

/**
 * Promise.all that waits for every promise before it rejects: close() must not run while a node
 * container is still being created, or that container would outlive it.
 */
async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function debug(message: string): void {
  if (process.env.DRYDOCK_LOG_LEVEL === 'debug') process.stderr.write(`test-cluster: ${message}\n`);
}
