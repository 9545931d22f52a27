import type Docker from 'dockerode';
import { DrydockError } from '../errors/drydock-error.ts';
import { LABHOST_IMAGE } from './images/catalog.ts';

const CHAIN = 'DRYDOCK-INPUT';

/**
 * Keeps lab hosts away from the machine they run on. A session network is internal (no route
 * out, isolated from other bridges), but its gateway address is the machine itself, where the
 * Drydock server, the engine's other services and anything listening on 0.0.0.0 would answer.
 * Packets from the session address range to the machine are refused, except replies to
 * connections the platform opened (its engine-API reads, checks and port proxy) and the ports
 * the platform serves to hosts on purpose (the webhook receiver).
 *
 * The rules go in through the engine, in a short-lived container on the host's network with
 * NET_ADMIN, so this works wherever the server itself runs (on the machine or in a container).
 */
export async function ensureHostFirewall(docker: Docker, subnetPool: string, openPorts: readonly number[]): Promise<void> {
  // The chain is declared and filled in one iptables-restore transaction (declaring it empties
  // it), so servers sharing an engine and restarts can all run this without a gap.
  const chain = [
    '*filter',
    `:${CHAIN} - [0:0]`,
    `-A ${CHAIN} -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN`,
    ...openPorts.map((port) => `-A ${CHAIN} -p tcp --dport ${port} -j RETURN`),
    `-A ${CHAIN} -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${CHAIN} -j REJECT --reject-with icmp-port-unreachable`,
    'COMMIT',
    '',
  ].join('\n');
  const script = [
    'set -e',
    'printf "%s" "$2" | iptables-restore -w --noflush',
    `iptables -w -C INPUT -s "$1" -j ${CHAIN} 2>/dev/null || iptables -w -I INPUT -s "$1" -j ${CHAIN}`,
  ].join('\n');
  const container = await docker.createContainer({
    Image: LABHOST_IMAGE,
    Entrypoint: ['sh', '-c', script, 'firewall', subnetPool, chain],
    HostConfig: { NetworkMode: 'host', CapAdd: ['NET_ADMIN', 'NET_RAW'], AutoRemove: false },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      throw new DrydockError(
        'DD_SANDBOX_FIREWALL',
        `could not install the firewall rules that keep lab hosts off this machine (${subnetPool}): ${logs.trim()}`,
      );
    }
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}
