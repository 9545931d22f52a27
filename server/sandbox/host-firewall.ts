import type Docker from 'dockerode';
import { DrydockError } from '../errors/drydock-error.ts';
import { runOneShot } from './one-shot.ts';

/** Named for its version: a server of an earlier version left a chain that let hosts reach open ports at any address. */
const CHAIN = 'DRYDOCK-HOSTS';
/**
 * Packets the machine would route from or to a session network. The engine Drydock owns writes no
 * iptables rules (scripts/engine.sh says why), so nothing else keeps sessions apart: a session
 * network's traffic stays on its own bridge (bridged packets pass, with br_netfilter they cross
 * FORWARD too) and nothing is routed to or from it, to another session or anywhere else. On an
 * engine that writes its own rules this repeats what they already do.
 */
const FORWARD_CHAIN = 'DRYDOCK-SESSIONS';

/**
 * Keeps lab hosts away from the machine they run on. A session network is internal (no route
 * out, isolated from other bridges), but its gateway address is the machine itself, where the
 * Drydock server, the engine's other services and anything listening on 0.0.0.0 would answer.
 * Packets from the session address range to the machine are refused, except replies to
 * connections the platform opened (its engine-API reads, checks and port proxy) and the ports
 * the platform serves to hosts on purpose (the webhook receiver, the Docker Hub stand-in), and those only at gateway
 * addresses (inside the session range), not at the machine's other addresses.
 *
 * The rules go in through the engine, in a short-lived container on the host's network with
 * NET_ADMIN, so this works wherever the server itself runs (on the machine or in a container).
 */
export async function ensureHostFirewall(docker: Docker, subnetPool: string, openPorts: readonly number[]): Promise<void> {
  // The chain is made in one iptables-restore transaction, so it never exists half-filled.
  // Open ports are then added, never removed: several servers on one engine (a dev server and a
  // test run) each open their own receiver's port without closing another's.
  const chain = [
    '*filter',
    `:${CHAIN} - [0:0]`,
    `-A ${CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN`,
    `-A ${CHAIN} -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${CHAIN} -j REJECT --reject-with icmp-port-unreachable`,
    'COMMIT',
    '',
  ].join('\n');
  const script = [
    'set -e',
    `iptables -w -S ${CHAIN} >/dev/null 2>&1 || printf "%s" "$2" | iptables-restore -w --noflush`,
    // From the pool to the pool: a server with another pool (on the other engine, see
    // docs/operators.md) opens its ports to its own hosts only.
    ...openPorts.map((port) => {
      const rule = `${CHAIN} -s "$1" -d "$1" -p tcp --dport ${port} -j RETURN`;
      return `iptables -w -C ${rule} 2>/dev/null || iptables -w -I ${rule.replace(CHAIN, `${CHAIN} 2`)}`;
    }),
    `iptables -w -C INPUT -s "$1" -j ${CHAIN} 2>/dev/null || iptables -w -I INPUT -s "$1" -j ${CHAIN}`,
    `iptables -w -S ${FORWARD_CHAIN} >/dev/null 2>&1 || printf "%s" "$3" | iptables-restore -w --noflush`,
    `iptables -w -C FORWARD -s "$1" -j ${FORWARD_CHAIN} 2>/dev/null || iptables -w -I FORWARD -s "$1" -j ${FORWARD_CHAIN}`,
    `iptables -w -C FORWARD -d "$1" -j ${FORWARD_CHAIN} 2>/dev/null || iptables -w -I FORWARD -d "$1" -j ${FORWARD_CHAIN}`,
  ].join('\n');
  const forward = [
    '*filter',
    `:${FORWARD_CHAIN} - [0:0]`,
    `-A ${FORWARD_CHAIN} -m physdev --physdev-is-bridged -j ACCEPT`,
    `-A ${FORWARD_CHAIN} -j DROP`,
    'COMMIT',
    '',
  ].join('\n');
  const { exitCode, output } = await runOneShot(docker, [script, 'firewall', subnetPool, chain, forward], {
    NetworkMode: 'host',
    CapAdd: ['NET_ADMIN', 'NET_RAW'],
  });
  if (exitCode !== 0) {
    throw new DrydockError(
      'DD_SANDBOX_FIREWALL',
      `could not install the firewall rules that keep lab hosts off this machine (${subnetPool}): ${output.trim()}`,
    );
  }
}
