import { DrydockError } from '../../errors/drydock-error.ts';
import type { Progress } from '../images/build.ts';
import { LABHOST_IMAGE } from '../images/catalog.ts';
import { ensureMirror, type Mirror } from '../mirror.ts';
import { gatewayOf } from '../subnets.ts';
import type { ClusterNodes, LabNode } from './node-engines.ts';
import { ensureNodeFirewall, HOST_BRIDGE, MIRROR_PORT } from './node-firewall.ts';

/** A node ready for lab hosts: its hosts' bridge known, its firewall in place, its mirror running. */
export interface PreparedNode {
  node: LabNode;
  /** The subnet of the node's docker_gwbridge, which the server reaches through the node. */
  hostSubnet: string;
  /** The node's address on that bridge: where its hosts find its mirror. */
  hostGateway: string;
  mirror: Mirror;
}

export interface ServerSide {
  /** The server's address as nodes reach it. */
  address: string;
  /** Its ports that hosts open: the webhook receiver, the Docker Hub stand-in. */
  ports: readonly number[];
  /** The mirrors' upstream ('' offline), as resolved at start. */
  mirrorUpstream: string;
}

/**
 * Makes a node ready before its first host is introduced: the platform's images present, its
 * firewall rules, and a mirror of its own (so pulls in a host never cross the cluster), which
 * listens on the node's side of the hosts' bridge and which the server seeds and reads through
 * the route to that bridge.
 */
export async function prepareNode(nodes: ClusterNodes, node: LabNode, server: ServerSide, progress: Progress): Promise<PreparedNode> {
  const engine = nodes.engine(node);
  const where = `lab node ${node.name} (${node.address})`;
  await engine
    .getImage(LABHOST_IMAGE)
    .inspect()
    .catch((cause) => {
      throw new DrydockError(
        'DD_IMAGE_MISSING',
        `${where} lacks image ${LABHOST_IMAGE}: load the platform's images on every lab node (docs/operators.md)`,
        {
          cause,
        },
      );
    });
  const bridge = (await engine
    .getNetwork(HOST_BRIDGE)
    .inspect()
    .catch(() => undefined)) as { IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] } } | undefined;
  const subnet = bridge?.IPAM?.Config?.[0]?.Subnet;
  if (!subnet) {
    throw new DrydockError(
      'DD_CLUSTER_NODE',
      `${where} has no ${HOST_BRIDGE} with a subnet of its own: create it before the node joins the swarm (docs/operators.md, "Preparing a lab node")`,
    );
  }
  // The engine gives a bridge made without --gateway the subnet's first address, and then does not list it.
  const gateway = bridge!.IPAM!.Config![0]!.Gateway || gatewayOf(subnet);
  await ensureNodeFirewall(engine, node.name, {
    hostSubnet: subnet,
    hostGateway: gateway,
    server: server.address,
    serverPorts: server.ports,
  });
  const mirror = await ensureMirror(engine, { upstream: server.mirrorUpstream, listen: { address: gateway, port: MIRROR_PORT } }, progress).catch(
    (cause: Error) => {
      throw new DrydockError(
        'DD_CLUSTER_NODE',
        `${where}: ${cause.message}. If the server cannot reach ${gateway}, route the node's host subnet through it on the server's machine: ` +
          `ip route add ${subnet} via ${node.address}`,
        { cause },
      );
    },
  );
  return { node, hostSubnet: subnet, hostGateway: gateway, mirror };
}
