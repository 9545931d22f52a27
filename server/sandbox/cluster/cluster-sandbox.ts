import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { hubPortOf, type Config } from '../../config/config.ts';
import { DrydockError } from '../../errors/drydock-error.ts';
import type { Logger } from '../../logging/logger.ts';
import { assertEngineAnswers, engineProblem } from '../docker-client.ts';
import { validateHostNames } from '../host-names.ts';
import type { HubState } from '../hub/hub-answer.ts';
import { makeHubCertificate, type HubCertificate } from '../hub/hub-certificate.ts';
import { keepHubCertificate } from '../hub/hub-certificate-store.ts';
import { detectKernelFeatures, type KernelFeatures } from '../kernel.ts';
import { LABEL, labelsFor } from '../labels.ts';
import { readMirrorCatalog } from '../mirror-catalog.ts';
import { resolveMirrorUpstream } from '../mirror-upstream.ts';
import type { HostGroup, HostGroupRecord, HostGroupRequest, Sandbox, SandboxTimings } from '../sandbox.ts';
import { ServerLease } from '../server-lease.ts';
import { markSubnetsInUse } from '../session-network.ts';
import { gatewayOf, SubnetAllocator } from '../subnets.ts';
import { WarmPool } from '../warm-pool.ts';
import { whyStopped } from '../host-watch.ts';
import { hostOfService, startHostService, type ClusterHost, type SwarmTask } from './cluster-host.ts';
import { ClusterHostGroup, type OverlayNetwork } from './cluster-host-group.ts';
import { removeOverlay, sweepCluster } from './cluster-sweep.ts';
import { groupResourceName, groupResourceNames } from '../sweep.ts';
import { hostServiceSpec } from './host-service.ts';
import { ClusterNodes, connectEngine, readTlsMaterial, type LabNode } from './node-engines.ts';
import { prepareNode, type PreparedNode, type ServerSide } from './node-preparation.ts';

/** How often the sandbox asks the manager about nodes and tasks (a node's death is seen within a few seconds more). */
const WATCH_MS = 2_000;

/**
 * Lab hosts as one-task services on a Docker Swarm: the scheduler places them by their
 * reservations, each session gets an overlay network, and the server reaches each host through
 * the node that runs it (execs and terminals over the node's engine API, checks and ports at the
 * host's address on the node's docker_gwbridge). docs/operators.md, "A cluster of lab nodes".
 */
export class ClusterSandbox implements Sandbox {
  private readonly sessions = new Set<ClusterHostGroup>();
  private readonly pool: WarmPool<PoolSlot>;
  private readonly preparing = new Map<string, Promise<PreparedNode>>();
  private closed = false;
  private watch: NodeJS.Timeout | undefined;
  /** A look at the cluster still under way (a slow manager): the next tick skips rather than piles up. */
  private checking = false;

  private constructor(
    private readonly nodes: ClusterNodes,
    private readonly config: Config,
    private readonly log: Logger,
    readonly kernel: KernelFeatures,
    private readonly subnets: SubnetAllocator,
    private readonly lease: ServerLease,
    private readonly server: ServerSide,
    readonly hubCertificate: HubCertificate,
  ) {
    this.pool = new WarmPool({
      size: config.poolSize,
      create: () => this.createSlot(),
      destroy: (slot) => this.removeSlot(slot),
      onError: (err) => log.error({ err }, 'warm pool: could not make a lab host on the cluster'),
    });
  }

  static async start(config: Config, log: Logger, adopting: readonly HostGroupRecord[] = []): Promise<ClusterSandbox> {
    const { hostname: managerAddress, port } = new URL(config.clusterManager.replace(/^tcp:/, 'https:'));
    const tls = readTlsMaterial(config.clusterTlsDir);
    const manager = connectEngine(managerAddress, Number(port), tls);
    await assertEngineAnswers(manager, config.clusterManager);
    const info = (await manager.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
      throw new DrydockError(
        'DD_CLUSTER_NOT_MANAGER',
        `the engine at ${config.clusterManager} is not a Swarm manager (swarm state: ${info.Swarm?.LocalNodeState ?? 'unknown'}): point DRYDOCK_CLUSTER_MANAGER at a manager node`,
      );
    }
    const nodes = new ClusterNodes(manager, tls, config.clusterEnginePort);
    const lease = await ServerLease.acquire(manager, config.owner, config.port, log);
    try {
      const server: ServerSide = {
        address: config.clusterServerAddress || (await localAddressTowards(managerAddress, Number(port))),
        ports: [config.hooksPort, hubPortOf(config)],
        mirrorUpstream: await resolveMirrorUpstream(config.mirrorUpstream),
      };
      const hub = await keepHubCertificate(config.dataDir, () => makeHubCertificate(manager));
      const swept = await sweepCluster(manager, config.owner, groupResourceNames(config.owner, adopting));
      if (swept.containers + swept.networks > 0) log.info({ swept }, 'removed what an earlier run left on the cluster');
      const subnets = new SubnetAllocator(config.subnetPool, config.subnetPrefix, { randomStart: true });
      await markSubnetsInUse(manager, subnets);
      const sandbox = new ClusterSandbox(nodes, config, log, await detectKernelFeatures(), subnets, lease, server, hub.certificate);
      // Every node that is up now, before the first learner: a node that cannot serve says so at start.
      const ready = (await nodes.list()).filter((n) => n.up);
      await Promise.all(ready.map((n) => sandbox.prepared(n)));
      log.info({ nodes: ready.map((n) => n.name), server: server.address }, 'lab cluster ready');
      sandbox.watch = setInterval(() => void sandbox.checkHosts(), WATCH_MS);
      sandbox.pool.refill();
      return sandbox;
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  /** The Docker Hub stand-in's state: the images of the first node mirror that answers (all are seeded alike). */
  async hubState(): Promise<HubState> {
    for (const preparing of this.preparing.values()) {
      const images = await preparing.then((node) => readMirrorCatalog(node.mirror.url)).catch(() => undefined);
      if (images) return { images, upstream: this.server.mirrorUpstream };
    }
    return { images: undefined, upstream: this.server.mirrorUpstream };
  }

  poolSize(): number {
    return this.pool.available;
  }

  poolFilled(): Promise<void> {
    return this.pool.filled();
  }

  engineProblem(): Promise<string | undefined> {
    return engineProblem(this.nodes.manager, this.config.clusterManager);
  }

  async createHostGroup(request: HostGroupRequest): Promise<HostGroup & { timings: SandboxTimings }> {
    if (this.closed) throw new DrydockError('DD_SANDBOX_CAPACITY', 'the sandbox is shutting down');
    const names = validateHostNames(request.hostNames);
    const started = performance.now();
    // A pooled slot brings a running host on a network of its own, which becomes the session's.
    const first = this.pool.take({ deferRefill: true });
    const id = first?.id ?? randomBytes(6).toString('hex');
    let pooled = 0;
    try {
      const network = first?.network ?? (await this.createNetwork(id));
      const group = this.newGroup(id, network);
      const results = await Promise.allSettled(
        names.map(async (name, index) => {
          if (index === 0 && first) {
            pooled++;
            first.host.name = name;
            group.add(first.host);
            return;
          }
          group.add(await this.startHost(network, id, name));
        }),
      );
      const failed = results.find((r) => r.status === 'rejected');
      try {
        if (failed) throw failed.reason;
        await group.introduceHosts(names);
      } catch (err) {
        await group.dispose();
        throw err;
      }
      const timings = { readyMs: performance.now() - started, pooled };
      this.log.info({ session: id, hosts: group.clusterHosts().map((h) => `${h.name}@${h.node.name}`), ...timings }, 'session ready');
      return Object.assign(group, { timings });
    } finally {
      this.pool.refill();
    }
  }

  /**
   * Takes over a recorded session's hosts when every one of them still runs on a node that is up;
   * otherwise removes what is left of it.
   */
  async adoptHostGroup(record: HostGroupRecord): Promise<HostGroup | undefined> {
    const name = this.resourceName(record.hostGroupId);
    const manager = this.nodes.manager;
    const network = (await manager
      .getNetwork(name)
      .inspect()
      .catch(() => undefined)) as { Id: string; IPAM?: { Config?: { Subnet?: string }[] } } | undefined;
    const subnet = network?.IPAM?.Config?.[0]?.Subnet;
    const hosts = await Promise.all(
      record.hostNames.map((host) => (this.closed ? undefined : this.runningHost(`${name}-${host}`, name, host).catch(() => undefined))),
    );
    if (!network || !subnet || hosts.some((h) => !h)) {
      await sweepCluster(manager, this.config.owner, new Set(), record.hostGroupId);
      return undefined;
    }
    this.subnets.markUsed(subnet);
    const group = this.newGroup(record.hostGroupId, { id: network.Id, name, subnet });
    for (const host of hosts) group.add(host!);
    try {
      await group.introduceHosts(record.hostNames);
      await Promise.all(group.clusterHosts().map((h) => h.releaseOldShells()));
    } catch (err) {
      this.log.warn({ err, hosts: record.hostGroupId }, 'could not take over the hosts of a recorded session; removing them');
      await group.dispose();
      return undefined;
    }
    this.log.info({ session: record.hostGroupId, hosts: record.hostNames }, 'hosts adopted');
    return group;
  }

  async close(options: { keepHosts?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearInterval(this.watch);
    if (!options.keepHosts) {
      await this.pool.close();
      await Promise.all([...this.sessions].map((s) => s.dispose()));
    } else {
      this.pool.stop();
    }
    await this.lease.release();
  }

  /** The node's preparation, made once (the first time a host lands on a node that joined later). */
  prepared(node: LabNode): Promise<PreparedNode> {
    let preparing = this.preparing.get(node.id);
    if (!preparing) {
      preparing = prepareNode(this.nodes, node, this.server, (line) => this.log.info({ node: node.name }, line));
      // A failed preparation is tried again with the next host.
      preparing.catch(() => this.preparing.delete(node.id));
      this.preparing.set(node.id, preparing);
    }
    return preparing;
  }

  /**
   * Tells sessions of hosts they lost: every host of a node the manager no longer hears from, and
   * any host whose task stopped. Also forgets the preparation of nodes that are down, and the
   * waiting hosts of nodes that take no new ones.
   */
  private async checkHosts(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const nodes = await this.nodes.list();
      const down = new Map(nodes.filter((n) => !n.up).map((n) => [n.id, n]));
      // A node that comes back has restarted, its firewall and mirror with it: prepare it again.
      for (const id of down.keys()) this.preparing.delete(id);
      // A waiting host on a node taken out of service would be a new host there once handed out.
      const accepting = new Set(nodes.filter((n) => n.acceptsHosts).map((n) => n.id));
      this.pool.discard((slot) => !accepting.has(slot.host.node.id));
      const hosts = [...this.pool.waiting().map((s) => s.host), ...[...this.sessions].flatMap((s) => s.clusterHosts())];
      if (hosts.length === 0) return;
      const tasks = (await this.nodes.manager.listTasks()) as SwarmTask[];
      const byContainer = new Map(tasks.map((t) => [t.Status.ContainerStatus?.ContainerID, t]));
      for (const host of hosts) {
        const node = down.get(host.node.id);
        const task = byContainer.get(host.containerId);
        if (node) this.hostLost(host, `the lab node it ran on (${node.name}, ${node.address}) stopped answering`);
        else if (task && task.Status.State !== 'running') this.hostLost(host, whyStopped(task.Status.ContainerStatus?.ExitCode, false));
      }
    } catch (err) {
      this.log.warn({ err }, 'could not ask the cluster manager about lab hosts');
    } finally {
      this.checking = false;
    }
  }

  private hostLost(host: ClusterHost, why: string): void {
    this.pool.discard((slot) => slot.host === host);
    for (const session of this.sessions) if (session.clusterHosts().includes(host)) session.lost(host, why);
  }

  private newGroup(id: string, network: OverlayNetwork): ClusterHostGroup {
    const group = new ClusterHostGroup(id, network, {
      manager: this.nodes.manager,
      subnets: this.subnets,
      serverAddress: this.server.address,
      hooksPort: this.config.hooksPort,
      hub: { port: hubPortOf(this.config), caPem: this.hubCertificate.caPem },
      prepared: (host) => this.prepared(host.node),
      onDisposed: (g) => this.sessions.delete(g),
    });
    this.sessions.add(group);
    return group;
  }

  private resourceName(id: string): string {
    return groupResourceName(this.config.owner, id);
  }

  private async startHost(network: OverlayNetwork, id: string, hostName: string, serviceName = `${network.name}-${hostName}`): Promise<ClusterHost> {
    const labels = labelsFor(this.config.owner, 'host', { [LABEL.session]: id, [LABEL.host]: hostName });
    const spec = hostServiceSpec(this.config, { serviceName, hostName, network: network.name, labels });
    return startHostService(this.nodes, spec, { hostName, network: network.name });
  }

  /** The host of a running service, found again after a restart. */
  private async runningHost(serviceName: string, network: string, hostName: string): Promise<ClusterHost> {
    const service = (await this.nodes.manager.getService(serviceName).inspect()) as { ID: string; Spec?: { Labels?: Record<string, string> } };
    if (service.Spec?.Labels?.[LABEL.owner] !== this.config.owner) throw new Error(`service ${serviceName} is not ours`);
    return hostOfService(this.nodes, service.ID, { hostName, network });
  }

  private async createNetwork(id: string): Promise<OverlayNetwork> {
    const name = this.resourceName(id);
    const subnet = this.subnets.take();
    try {
      // Not internal: a task reaches anything off its overlay through the node's docker_gwbridge,
      // which is also how the server reaches it; the node's firewall decides what passes.
      const network = await this.nodes.manager.createNetwork({
        Name: name,
        Driver: 'overlay',
        CheckDuplicate: true,
        IPAM: { Config: [{ Subnet: subnet, Gateway: gatewayOf(subnet) }] },
        Labels: labelsFor(this.config.owner, 'session-network', { [LABEL.session]: id }),
      });
      return { id: network.id, name, subnet };
    } catch (err) {
      this.subnets.release(subnet);
      throw err;
    }
  }

  private async createSlot(): Promise<PoolSlot> {
    const id = randomBytes(6).toString('hex');
    const network = await this.createNetwork(id);
    try {
      const host = await this.startHost(network, id, 'lab', `${network.name}-pooled`);
      await this.prepared(host.node);
      return { id, network, host };
    } catch (err) {
      await removeOverlay(this.nodes.manager, network.id).catch(() => {});
      this.subnets.release(network.subnet);
      throw err;
    }
  }

  private async removeSlot(slot: PoolSlot): Promise<void> {
    await slot.host.remove();
    await removeOverlay(this.nodes.manager, slot.network.id);
    this.subnets.release(slot.network.subnet);
  }
}

interface PoolSlot {
  id: string;
  network: OverlayNetwork;
  host: ClusterHost;
}

/** The address this machine uses towards the manager: where nodes reach this server, unless configured. */
function localAddressTowards(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => {
      const address = socket.localAddress ?? '';
      socket.destroy();
      resolve(address.replace(/^::ffff:/, ''));
    });
    socket.once('error', reject);
  });
}
