import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { hubPortOf, type Config } from '../config/config.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Logger } from '../logging/logger.ts';
import { assertEngineAnswers, connectDocker, engineProblem, isEngineUnreachable } from './docker-client.ts';
import { DockerLabHost } from './docker-lab-host.ts';
import { ensureHostFirewall } from './host-firewall.ts';
import { watchHosts, whyStopped } from './host-watch.ts';
import { hostCreateOptions } from './host-spec.ts';
import { LABHOST_IMAGE } from './images/catalog.ts';
import { detectKernelFeatures, type KernelFeatures } from './kernel.ts';
import { LABEL, labelsFor } from './labels.ts';
import type { HubState } from './hub/hub-answer.ts';
import { makeHubCertificate, type HubCertificate } from './hub/hub-certificate.ts';
import { keepHubCertificate } from './hub/hub-certificate-store.ts';
import type { HostHub } from './hub/host-hub.ts';
import { attachMirror, ensureMirror, MIRROR_ALIAS, MIRROR_CONTAINER, type Mirror } from './mirror.ts';
import { readMirrorCatalog } from './mirror-catalog.ts';
import { resolveMirrorUpstream } from './mirror-upstream.ts';
import { HOOKS_HOST_NAME } from '../../shared/platform.ts';
import type { Sandbox, HostGroup, HostGroupRecord, SandboxTimings, HostGroupRequest } from './sandbox.ts';
import { createSessionNetwork, markSubnetsInUse, removeSessionNetwork, type SessionNetwork } from './session-network.ts';
import { validateHostNames } from './host-names.ts';
import { gatewayOf, SubnetAllocator } from './subnets.ts';
import { ServerLease } from './server-lease.ts';
import { groupResourceName, groupResourceNames, sweepOwner } from './sweep.ts';
import { WarmPool } from './warm-pool.ts';
import { assertIsolationAvailable, describeIsolation } from './isolation.ts';
import { handOverCgroups } from './cgroup-handover.ts';
import { HostGroupBase } from './host-group-base.ts';

/** Lab hosts as containers on one Docker engine, each session on its own network. */
export class DockerSandbox implements Sandbox {
  private readonly sessions = new Set<DockerHostGroup>();
  /** Slot networks of pooled hosts that moved, still being removed. */
  private readonly removals = new Set<Promise<void>>();
  private readonly pool: WarmPool<PoolSlot>;
  private closed = false;
  private watch: { stop(): void } | undefined;

  private constructor(
    private readonly docker: Docker,
    private readonly config: Config,
    private readonly log: Logger,
    readonly kernel: KernelFeatures,
    private readonly subnets: SubnetAllocator,
    private readonly lease: ServerLease,
    private readonly mirror: Mirror,
    /** What the Docker Hub stand-in serves with; lab hosts trust its CA for Docker Hub's names. */
    readonly hubCertificate: HubCertificate,
  ) {
    this.pool = new WarmPool({
      size: config.poolSize,
      create: () => this.createSlot(),
      destroy: (slot) => this.removeSlot(slot),
      onError: (err) => log.error({ err }, 'warm pool: could not make a lab host'),
    });
  }

  /**
   * Checks the engine and images, takes the owner's lease, starts the mirror, sweeps leftovers
   * (all but the host groups in `adopting`, which adoptHostGroup takes over next), and starts
   * filling the pool.
   */
  static async start(config: Config, log: Logger, adopting: readonly HostGroupRecord[] = []): Promise<DockerSandbox> {
    const docker = connectDocker(config.dockerHost);
    await assertEngineAnswers(docker, config.dockerHost);
    await assertIsolationAvailable(docker, config);
    log.info({ isolation: config.isolation }, describeIsolation(config.isolation));
    await docker
      .getImage(LABHOST_IMAGE)
      .inspect()
      .catch((cause) => {
        throw new DrydockError('DD_IMAGE_MISSING', `image ${LABHOST_IMAGE} is missing: run \`npm run images\` first`, { cause });
      });
    // Before anything else: only a dead server's leftovers may be swept, and a live one of this
    // owner must keep its hosts.
    const lease = await ServerLease.acquire(docker, config.owner, config.port, log);
    try {
      const upstream = await resolveMirrorUpstream(config.mirrorUpstream);
      const [mirror, hub] = await Promise.all([
        ensureMirror(docker, { upstream }, (line) => log.info(line)),
        keepHubCertificate(config.dataDir, () => makeHubCertificate(docker)),
      ]);
      log.info({ upstream: upstream || 'none (offline)' }, 'mirror ready');
      if (hub.replacedBecause) {
        log.warn(
          { reason: hub.replacedBecause },
          'Docker Hub stand-in: made a new certificate in place of the stored one; hosts adopted from the last run trust the old CA, so their pulls of images not in the mirror fail on TLS until their sessions end',
        );
      }
      await ensureHostFirewall(docker, config.subnetPool, [config.hooksPort, hubPortOf(config)]);
      const swept = await sweepOwner(docker, config.owner, groupResourceNames(config.owner, adopting));
      if (swept.containers + swept.networks > 0) log.info({ swept }, 'removed what an earlier run left behind');
      const kernel = await detectKernelFeatures();
      log.info({ kernel }, 'kernel features');
      const subnets = new SubnetAllocator(config.subnetPool, config.subnetPrefix);
      await markSubnetsInUse(docker, subnets);
      const sandbox = new DockerSandbox(docker, config, log, kernel, subnets, lease, mirror, hub.certificate);
      sandbox.watch = watchHosts(
        docker,
        config.owner,
        { died: (id, why) => sandbox.hostDied(id, why), reconnected: () => void sandbox.recheckHosts() },
        log,
      );
      sandbox.pool.refill();
      return sandbox;
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  /** What the Docker Hub stand-in tells learners: the mirror's images (read now) and its upstream. */
  async hubState(): Promise<HubState> {
    return { images: await readMirrorCatalog(this.mirror.url), upstream: this.mirror.upstream };
  }

  poolSize(): number {
    return this.pool.available;
  }

  poolFilled(): Promise<void> {
    return this.pool.filled();
  }

  engineProblem(): Promise<string | undefined> {
    return engineProblem(this.docker, this.config.dockerHost);
  }

  async createHostGroup(request: HostGroupRequest): Promise<HostGroup & { timings: SandboxTimings }> {
    try {
      return await this.createHostGroupOnEngine(request);
    } catch (err) {
      if (!isEngineUnreachable(err)) throw err;
      throw new DrydockError(
        'DD_ENGINE_UNREACHABLE',
        'lab hosts cannot start right now: the Docker engine does not answer (it may be restarting). Try again in a minute; if it persists, tell whoever runs Drydock.',
        { cause: err },
      );
    }
  }

  private async createHostGroupOnEngine(request: HostGroupRequest): Promise<HostGroup & { timings: SandboxTimings }> {
    if (this.closed) throw new DrydockError('DD_SANDBOX_CAPACITY', 'the sandbox is shutting down');
    const names = validateHostNames(request.hostNames);
    const started = performance.now();
    // A pooled slot brings a ready network and host: the session takes over both.
    const first = this.pool.take({ deferRefill: true });
    const id = first?.id ?? randomBytes(6).toString('hex');
    const network = first?.network ?? (await this.createNetwork(id));
    const hub = { port: hubPortOf(this.config), caPem: this.hubCertificate.caPem };
    const session = new DockerHostGroup(id, this.docker, network, this.subnets, this.config.hooksPort, hub, (s) => this.sessions.delete(s));
    this.sessions.add(session);
    let pooled = 0;
    try {
      await Promise.all(
        names.map(async (name, index) => {
          const containerName = `${this.resourceName(id)}-${name}`;
          const slot = index === 0 ? first : this.pool.take({ deferRefill: true });
          if (!slot) {
            const host = await this.createHost(network.name, containerName, name, { [LABEL.session]: id }, session);
            await host.waitForEngine();
            return;
          }
          pooled++;
          session.add(slot.host);
          await Promise.all([
            slot !== first && this.moveHost(slot, network, name),
            this.docker.getContainer(slot.host.containerId).rename({ name: containerName }),
          ]);
          slot.host.name = name;
        }),
      );
      await session.introduceHosts(names);
    } catch (err) {
      await session.dispose();
      throw err;
    } finally {
      this.pool.refill();
    }
    const timings = { readyMs: performance.now() - started, pooled };
    this.log.info({ session: id, hosts: names, ...timings }, 'session ready');
    return Object.assign(session, { timings });
  }

  async adoptHostGroup(record: HostGroupRecord): Promise<HostGroup | undefined> {
    const id = record.hostGroupId;
    const networkName = this.resourceName(id);
    const [network, ...containers] = await Promise.all([
      this.docker
        .getNetwork(networkName)
        .inspect()
        .catch(() => undefined),
      ...record.hostNames.map((name) =>
        this.docker
          .getContainer(`${networkName}-${name}`)
          .inspect()
          .catch(() => undefined),
      ),
    ]);
    const subnet = network?.IPAM?.Config?.[0]?.Subnet as string | undefined;
    const ours = containers.filter((c) => c?.Config.Labels?.[LABEL.owner] === this.config.owner);
    const alive = ours.length === containers.length && ours.every((c) => c!.State.Running);
    if (this.closed || !network || !subnet || !alive) {
      await Promise.all(
        ours.map((c) =>
          this.docker
            .getContainer(c!.Id)
            .remove({ force: true })
            .catch(() => {}),
        ),
      );
      if (network) await removeSessionNetwork(this.docker, { id: network.Id });
      return undefined;
    }
    this.subnets.markUsed(subnet);
    const hub = { port: hubPortOf(this.config), caPem: this.hubCertificate.caPem };
    const sessionNetwork = { id: network.Id, name: networkName, subnet, gateway: gatewayOf(subnet) };
    const group = new DockerHostGroup(id, this.docker, sessionNetwork, this.subnets, this.config.hooksPort, hub, (s) => this.sessions.delete(s));
    this.sessions.add(group);
    containers.forEach((c, i) => group.add(new DockerLabHost(this.docker, c!.Id, record.hostNames[i]!)));
    try {
      // A mirror recreated meanwhile (a changed setting) is on none of the old networks.
      const containersOn = Object.values((network.Containers ?? {}) as Record<string, { Name: string }>);
      if (!containersOn.some((c) => c.Name === MIRROR_CONTAINER)) await attachMirror(this.docker, network.Id);
      // Again, for what this start made anew: the Docker Hub stand-in's CA, the mirror's address.
      await group.introduceHosts(record.hostNames);
      await Promise.all(group.dockerHosts().map((h) => h.releaseOldShells()));
    } catch (err) {
      this.log.warn({ err, hosts: id }, 'could not take over the hosts of a recorded session; removing them');
      await group.dispose();
      return undefined;
    }
    this.log.info({ session: id, hosts: record.hostNames }, 'hosts adopted');
    return group;
  }

  async close(options: { keepHosts?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.watch?.stop();
    if (!options.keepHosts) {
      await this.pool.close();
      await Promise.all([...this.sessions].map((s) => s.dispose()));
    } else {
      // A restart: the waiting hosts stay for the next start's sweep, but no more are made.
      this.pool.stop();
    }
    await Promise.all(this.removals);
    // Kept hosts are the next start's to adopt or sweep, which the lease allows only once it is released.
    await this.lease.release();
  }

  private hostDied(containerId: string, why: string): void {
    this.pool.discard((slot) => slot.host.containerId === containerId);
    for (const session of this.sessions) session.hostDied(containerId, why);
  }

  /** After the engine was out of reach: every host that is no longer running has died meanwhile. */
  private async recheckHosts(): Promise<void> {
    const hosts = [...this.pool.waiting().map((slot) => slot.host), ...[...this.sessions].flatMap((s) => s.hosts)];
    await Promise.all(
      hosts.map(async (host) => {
        const info = await this.docker
          .getContainer(host.containerId)
          .inspect()
          .catch(() => undefined);
        if (!info) this.hostDied(host.containerId, whyStopped(undefined, false));
        else if (!info.State.Running) this.hostDied(host.containerId, whyStopped(info.State.ExitCode, info.State.OOMKilled));
      }),
    );
  }

  private resourceName(id: string): string {
    return groupResourceName(this.config.owner, id);
  }

  private async createHost(
    network: string,
    containerName: string,
    hostName: string,
    extraLabels: Record<string, string>,
    session?: DockerHostGroup,
  ): Promise<DockerLabHost> {
    const labels = labelsFor(this.config.owner, 'host', { ...extraLabels, [LABEL.host]: hostName });
    const container = await this.docker.createContainer(hostCreateOptions(this.config, { containerName, hostName, network, labels }));
    const host = new DockerLabHost(this.docker, container.id, hostName);
    session?.add(host);
    try {
      await container.start();
      // Before the learner's first `docker run`: waitForEngine returns only after this.
      if (this.config.isolation === 'userns') await handOverCgroups(this.docker, container.id);
    } catch (err) {
      if (!session) await host.remove();
      throw err;
    }
    return host;
  }

  private createNetwork(id: string): Promise<SessionNetwork> {
    return createSessionNetwork(this.docker, this.subnets, this.resourceName(id), {
      owner: this.config.owner,
      role: 'session-network',
      extra: { [LABEL.session]: id },
    });
  }

  /** A pool slot: a network of its own with one host whose engine already answers. */
  private async createSlot(): Promise<PoolSlot> {
    const id = randomBytes(6).toString('hex');
    const network = await this.createNetwork(id);
    try {
      const host = await this.createHost(network.name, `${this.resourceName(id)}-pooled`, 'lab', { [LABEL.session]: id });
      try {
        await host.waitForEngine();
      } catch (err) {
        await host.remove();
        throw err;
      }
      return { id, network, host };
    } catch (err) {
      await removeSessionNetwork(this.docker, network, this.subnets);
      throw err;
    }
  }

  private async removeSlot(slot: PoolSlot): Promise<void> {
    await slot.host.remove();
    await removeSessionNetwork(this.docker, slot.network, this.subnets);
  }

  /**
   * Moves a pooled host onto another session's network. Its empty slot network goes away after the
   * session is ready (off the learner's wait); close waits for that.
   */
  private async moveHost(slot: PoolSlot, network: SessionNetwork, name: string): Promise<void> {
    await this.docker.getNetwork(network.id).connect({ Container: slot.host.containerId, EndpointConfig: { Aliases: [name] } });
    // Before the learner types: a host with two addresses makes `docker swarm join` ask which to use.
    await this.docker.getNetwork(slot.network.id).disconnect({ Container: slot.host.containerId, Force: true });
    const removal = removeSessionNetwork(this.docker, slot.network, this.subnets)
      .catch((err) => this.log.warn({ err, network: slot.network.name }, 'could not remove a pool network'))
      .finally(() => this.removals.delete(removal));
    this.removals.add(removal);
  }
}

interface PoolSlot {
  id: string;
  network: SessionNetwork;
  host: DockerLabHost;
}

class DockerHostGroup extends HostGroupBase<DockerLabHost> {
  constructor(
    id: string,
    private readonly docker: Docker,
    private readonly network: SessionNetwork,
    private readonly subnets: SubnetAllocator,
    private readonly hooksPort: number,
    private readonly hub: Omit<HostHub, 'gateway'>,
    private readonly onDisposed: (s: DockerHostGroup) => void,
  ) {
    super(id);
  }

  /** The hosts as the sandbox made them (with what only the sandbox may do to them). */
  dockerHosts(): readonly DockerLabHost[] {
    return this.members;
  }

  get gateway(): string {
    return this.network.gateway;
  }

  /**
   * Puts hosts in the lab's order and tells each host its name and every session host's
   * address. /etc/hosts (not the network's DNS aliases) makes a pooled host, created under
   * another name, resolve its new name and its neighbours' at once: the first host of a pooled
   * session keeps the slot's network and the alias it was created with.
   */
  async introduceHosts(names: readonly string[]): Promise<void> {
    this.orderHosts(names);
    const addresses = await Promise.all(
      this.members.map(async (h) => {
        const info = await this.docker.getContainer(h.containerId).inspect();
        h.address = info.NetworkSettings.Networks[this.network.name]?.IPAddress ?? '';
        if (!h.address) throw new DrydockError('DD_HOST_NOT_READY', `lab host ${h.name} has no address on ${this.network.name}`);
        return `${h.address} ${h.name}`;
      }),
    );
    addresses.push(`${this.network.gateway} ${HOOKS_HOST_NAME}`);
    const mirror = await this.docker.getContainer(MIRROR_CONTAINER).inspect();
    const mirrorAddress = mirror.NetworkSettings.Networks[this.network.name]?.IPAddress;
    if (mirrorAddress) addresses.push(`${mirrorAddress} ${MIRROR_ALIAS}`);
    const hooksUrl = `http://${HOOKS_HOST_NAME}:${this.hooksPort}/events`;
    const hub = { ...this.hub, gateway: this.network.gateway };
    await Promise.all(this.members.map((h) => h.introduce(addresses, hooksUrl, hub)));
  }

  /** The engine reports a container gone; ours unless we are removing it ourselves. */
  hostDied(containerId: string, why: string): void {
    const host = this.members.find((h) => h.containerId === containerId);
    if (host) this.hostStopped(host, why);
  }

  protected async removeAll(): Promise<void> {
    await Promise.all(this.members.map((h) => h.remove()));
    await removeSessionNetwork(this.docker, this.network, this.subnets);
    this.onDisposed(this);
  }
}
