import type Docker from 'dockerode';
import { DrydockError } from '../../errors/drydock-error.ts';
import { runOneShot } from '../one-shot.ts';

/** The bridge through which a node's Swarm tasks reach anything off their overlay networks. */
export const HOST_BRIDGE = 'docker_gwbridge';
export const MIRROR_PORT = 5000;

/** Exported for the isolation test's control run, which takes the node's rule out and puts it back. */
export const INPUT_CHAIN = 'DRYDOCK-NODE-IN';
const FORWARD_CHAIN = 'DRYDOCK-NODE-FWD';
const NAT_CHAIN = 'DRYDOCK-NODE-NAT';

export interface NodeFirewall {
  /** The node's docker_gwbridge: its hosts' second interface. */
  hostSubnet: string;
  /** The node's address on it, where its mirror listens. */
  hostGateway: string;
  /** The server's address as the node reaches it. */
  server: string;
  /** The server's ports that hosts open (the webhook receiver, the Docker Hub stand-in). */
  serverPorts: readonly number[];
}

/**
 * Keeps a node's lab hosts to what they need outside their session's overlay network. Every
 * host is also on the node's docker_gwbridge (Swarm's way out for tasks), which the server
 * reaches hosts through; without these rules a learner could reach the node itself (its engine
 * API, Swarm's ports), other nodes' hosts through the routes the server has, and anything beyond.
 *
 * - From hosts: only the mirror on this node and the server's ports for hosts; nothing to the
 *   node's own addresses (its engine, Swarm's control and VXLAN ports).
 * - To hosts: only connections the server opens (checks, the engine-API relay, published ports).
 * - Hosts' packets to the server keep their address (no masquerade), which is how the server tells
 *   one session's registry notifications from another's, as on one machine.
 *
 * Hosts on one bridge do not reach each other either: the bridge is made with
 * enable_icc=false (docs/operators.md), and the forward rule below drops them anyway.
 * Installed from a short-lived container on the node's network; safe to run again (what is
 * there stays, what is missing is added). The rules live in the node's kernel: a node that
 * restarts gets them again when its next host lands there (cluster-sandbox.ts).
 */
export async function ensureNodeFirewall(docker: Docker, nodeName: string, rules: NodeFirewall): Promise<void> {
  // The chains are made once, in one iptables-restore transaction, so they never exist half
  // filled. A server's own rules are then added, never removed: several servers (a deployment
  // and a verify run) may share the nodes, each opening its own ports to the hosts.
  const chains = [
    '*filter',
    `:${INPUT_CHAIN} - [0:0]`,
    `:${FORWARD_CHAIN} - [0:0]`,
    `-A ${INPUT_CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN`,
    // The engine leaves traffic from a bridge to its published ports to its proxy, on INPUT.
    `-A ${INPUT_CHAIN} -d ${rules.hostGateway} -p tcp --dport ${MIRROR_PORT} -j RETURN`,
    `-A ${INPUT_CHAIN} -j DROP`,
    `-A ${FORWARD_CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN`,
    `-A ${FORWARD_CHAIN} -i ${HOST_BRIDGE} -m conntrack --ctstate DNAT --ctorigdst ${rules.hostGateway} --ctorigdstport ${MIRROR_PORT} -j RETURN`,
    `-A ${FORWARD_CHAIN} -i ${HOST_BRIDGE} -j DROP`,
    `-A ${FORWARD_CHAIN} -o ${HOST_BRIDGE} -j DROP`,
    'COMMIT',
    '*nat',
    `:${NAT_CHAIN} - [0:0]`,
    'COMMIT',
    '',
  ].join('\n');
  const serverRules = [
    ...rules.serverPorts.map((port) => `${FORWARD_CHAIN} -i ${HOST_BRIDGE} -d ${rules.server} -p tcp --dport ${port} -j ACCEPT`),
    `${FORWARD_CHAIN} -o ${HOST_BRIDGE} -s ${rules.server} -j ACCEPT`,
  ];
  const script = [
    'set -e',
    `iptables -w -S ${INPUT_CHAIN} >/dev/null 2>&1 || printf "%s" "$1" | iptables-restore -w --noflush`,
    ...serverRules.map((rule) => `iptables -w -C ${rule} 2>/dev/null || iptables -w -I ${rule.replace(FORWARD_CHAIN, `${FORWARD_CHAIN} 2`)}`),
    `iptables -w -t nat -C ${NAT_CHAIN} -s ${rules.hostSubnet} -d ${rules.server} -j ACCEPT 2>/dev/null || iptables -w -t nat -A ${NAT_CHAIN} -s ${rules.hostSubnet} -d ${rules.server} -j ACCEPT`,
    `iptables -w -C INPUT -i ${HOST_BRIDGE} -j ${INPUT_CHAIN} 2>/dev/null || iptables -w -I INPUT -i ${HOST_BRIDGE} -j ${INPUT_CHAIN}`,
    `iptables -w -C DOCKER-USER -j ${FORWARD_CHAIN} 2>/dev/null || iptables -w -I DOCKER-USER -j ${FORWARD_CHAIN}`,
    `iptables -w -t nat -C POSTROUTING -j ${NAT_CHAIN} 2>/dev/null || iptables -w -t nat -I POSTROUTING -j ${NAT_CHAIN}`,
  ].join('\n');
  const { exitCode, output } = await runOneShot(docker, [script, 'node-firewall', chains], { NetworkMode: 'host', CapAdd: ['NET_ADMIN', 'NET_RAW'] });
  if (exitCode !== 0) {
    throw new DrydockError(
      'DD_SANDBOX_FIREWALL',
      `could not install the firewall rules that keep lab hosts in their place on node ${nodeName}: ${output.trim()}`,
    );
  }
}
