import type Docker from 'dockerode';
import { HOOKS_HOST_NAME } from '../../../shared/platform.ts';
import { HostGroupBase } from '../host-group-base.ts';
import type { HostHub } from '../hub/host-hub.ts';
import { MIRROR_ALIAS } from '../mirror.ts';
import type { SubnetAllocator } from '../subnets.ts';
import type { ClusterHost } from './cluster-host.ts';
import { removeOverlay } from './cluster-sweep.ts';
import type { PreparedNode } from './node-preparation.ts';

export interface OverlayNetwork {
  id: string;
  name: string;
  subnet: string;
}

export interface GroupContext {
  manager: Docker;
  subnets: SubnetAllocator;
  /** The server's address as nodes reach it: the hooks receiver and the Docker Hub stand-in. */
  serverAddress: string;
  hooksPort: number;
  hub: Omit<HostHub, 'gateway'>;
  /** The node's preparation (its mirror's address), made before its first host is introduced. */
  prepared(host: ClusterHost): Promise<PreparedNode>;
  onDisposed(group: ClusterHostGroup): void;
}

/** The hosts of one session on the cluster: one service each, on an overlay network of their own. */
export class ClusterHostGroup extends HostGroupBase<ClusterHost> {
  constructor(
    id: string,
    readonly network: OverlayNetwork,
    private readonly context: GroupContext,
  ) {
    super(id);
  }

  clusterHosts(): readonly ClusterHost[] {
    return this.members;
  }

  /** Hosts reach the platform at the server's own address, routed through their node. */
  get gateway(): string {
    return this.context.serverAddress;
  }

  /**
   * Tells each host its name, its neighbours' overlay addresses, where the server is, and where its
   * own node's mirror listens (each host pulls through the node it runs on).
   */
  async introduceHosts(names: readonly string[]): Promise<void> {
    this.orderHosts(names);
    const { serverAddress, hooksPort, hub } = this.context;
    const shared = [...this.members.map((h) => `${h.overlayAddress} ${h.name}`), `${serverAddress} ${HOOKS_HOST_NAME}`];
    const hooksUrl = `http://${HOOKS_HOST_NAME}:${hooksPort}/events`;
    await Promise.all(
      this.members.map(async (h) => {
        const node = await this.context.prepared(h);
        await h.introduce([...shared, `${node.hostGateway} ${MIRROR_ALIAS}`], hooksUrl, { ...hub, gateway: serverAddress });
      }),
    );
  }

  /** The cluster lost a host (its node died, or its task ended). */
  lost(host: ClusterHost, why: string): void {
    this.hostStopped(host, why);
  }

  protected async removeAll(): Promise<void> {
    await Promise.all(this.members.map((h) => h.remove()));
    await removeOverlay(this.context.manager, this.network.id);
    this.context.subnets.release(this.network.subnet);
    this.context.onDisposed(this);
  }
}
