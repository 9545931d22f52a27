import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { DrydockError } from '../../errors/drydock-error.ts';
import { DockerLabHost } from '../docker-lab-host.ts';
import type { ClusterNodes, LabNode } from './node-engines.ts';
import { HOST_BRIDGE } from './node-firewall.ts';

/**
 * A lab host that is the one task of a Swarm service. Execs and terminals go to the engine of the
 * node that runs it; `address` is its address on that node's docker_gwbridge, which the server
 * reaches through the node, and `overlayAddress` the one its session's hosts know it by.
 */
export class ClusterHost extends DockerLabHost {
  constructor(
    nodeEngine: Docker,
    containerId: string,
    name: string,
    readonly node: LabNode,
    readonly serviceId: string,
    readonly overlayAddress: string,
    address: string,
    private readonly manager: Docker,
  ) {
    super(nodeEngine, containerId, name);
    this.address = address;
  }

  /** Removing the service removes its task, and with it the host's disk. */
  override async remove(): Promise<void> {
    await removeService(this.manager, this.serviceId);
  }
}

export async function removeService(manager: Docker, serviceId: string): Promise<void> {
  await manager
    .getService(serviceId)
    .remove()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
}

/** How long a task may wait for a node with room before the learner is told there is none. */
const NO_ROOM_MS = 5_000;
/** How long a task may take from created to running (the image is on every node). */
const START_MS = 60_000;

/**
 * Creates the service of one host and waits for its task to run and its engine to answer. On any
 * failure the service is removed: nothing is left pending in the cluster.
 */
export async function startHostService(
  nodes: ClusterNodes,
  spec: Docker.CreateServiceOptions,
  placement: HostPlacementOnCluster,
): Promise<ClusterHost> {
  const service = (await nodes.manager.createService(spec)) as { id: string };
  try {
    const host = await hostOfService(nodes, service.id, placement);
    await host.waitForEngine();
    return host;
  } catch (err) {
    await removeService(nodes.manager, service.id).catch(() => {});
    throw err;
  }
}

export interface HostPlacementOnCluster {
  hostName: string;
  /** The session's overlay network. */
  network: string;
}

/** The host that a service's task is, once the task runs: its node, container and addresses. */
export async function hostOfService(nodes: ClusterNodes, serviceId: string, { hostName, network }: HostPlacementOnCluster): Promise<ClusterHost> {
  const task = await runningTask(nodes.manager, serviceId, hostName);
  const node = await nodes.get(task.NodeID!).catch(() => undefined);
  if (!node?.up) throw new DrydockError('DD_HOST_NOT_READY', `lab host ${hostName} runs on node ${node?.name ?? task.NodeID}, which is not up`);
  const engine = nodes.engine(node);
  const containerId = task.Status.ContainerStatus!.ContainerID!;
  const overlay = task.NetworksAttachments?.find((a) => a.Network?.Spec?.Name === network)?.Addresses?.[0]?.split('/')[0];
  if (!overlay) throw new DrydockError('DD_HOST_NOT_READY', `lab host ${hostName} has no address on ${network}`);
  const address = await bridgeAddress(engine, containerId, `${hostName} on ${node.name}`);
  return new ClusterHost(engine, containerId, hostName, node, serviceId, overlay, address, nodes.manager);
}

const FAILED = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);

async function runningTask(manager: Docker, serviceId: string, hostName: string): Promise<SwarmTask> {
  const started = Date.now();
  for (;;) {
    const [task] = (await manager.listTasks({ filters: { service: [serviceId] } })) as SwarmTask[];
    const state = task?.Status.State;
    if (state === 'running' && task!.Status.ContainerStatus?.ContainerID) return task!;
    if (state && FAILED.has(state)) {
      throw new DrydockError('DD_HOST_NOT_READY', `lab host ${hostName} did not start: ${task!.Status.Err || task!.Status.Message || state}`);
    }
    const waited = Date.now() - started;
    // Pending with "no suitable node": no node has the reservation free (or none takes hosts).
    if (state === 'pending' && /no suitable node/.test(task!.Status.Err ?? '') && waited > NO_ROOM_MS) {
      throw new DrydockError(
        'DD_SANDBOX_CAPACITY',
        'the lab cluster has no room for another lab host right now: try again when other sessions end. (For whoever runs Drydock: ' +
          `the scheduler says "${task!.Status.Err}"; add lab nodes or lower DRYDOCK_CLUSTER_HOST_RESERVE_MIB.)`,
      );
    }
    if (waited > START_MS) {
      throw new DrydockError('DD_HOST_NOT_READY', `lab host ${hostName} did not start within ${START_MS / 1000} s (task ${state ?? 'not created'})`);
    }
    await sleep(200);
  }
}

/** The host's address on its node's docker_gwbridge (the engine lists a task's endpoint there by container). */
async function bridgeAddress(engine: Docker, containerId: string, what: string): Promise<string> {
  for (let i = 0; i < 25; i++) {
    const bridge = (await engine.getNetwork(HOST_BRIDGE).inspect()) as { Containers?: Record<string, { IPv4Address?: string }> };
    const address = bridge.Containers?.[containerId]?.IPv4Address?.split('/')[0];
    if (address) return address;
    await sleep(100);
  }
  throw new DrydockError('DD_HOST_NOT_READY', `lab host ${what} has no address on the node's ${HOST_BRIDGE}`);
}

export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  DesiredState?: string;
  Status: { State?: string; Err?: string; Message?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  NetworksAttachments?: { Network?: { Spec?: { Name?: string } }; Addresses?: string[] }[];
}
