import { HUB_NAMES } from './hub-certificate.ts';

/** Where a lab host finds the Docker Hub stand-in: its session's gateway, the stand-in's port, its CA. */
export interface HostHub {
  gateway: string;
  port: number;
  caPem: string;
}

/** The NAT chain in a lab host that sends Docker Hub's port 443 to the stand-in. */
const CHAIN = 'DRYDOCK-HUB';
/**
 * The engine (20.10) verifies Docker Hub against the system roots only: /etc/docker/certs.d is
 * read for other registries and mirrors, never for docker.io. Go reads every file in
 * /etc/ssl/certs, once per process and at its first verification, which comes after this (a
 * host's engine makes no TLS connection before its session starts). The CA is name-constrained
 * to docker.io, so trusting it system-wide vouches for nothing else.
 */
const CA_FILE = '/etc/ssl/certs/drydock-hub-ca.pem';
const NAMES = HUB_NAMES.map((n) => n.replace(/\./g, '\\.')).join('|');

/**
 * Lines of the lab host's setup script that point its engine's Docker Hub at the stand-in, run
 * when a host joins a session (a pooled host changes networks, and so gateways). They read
 * HUB_GATEWAY, HUB_PORT and HUB_CA from the environment and do nothing without them.
 * /etc/hosts is the engine's bind mount: rewritten in place, never replaced. Until then the
 * names are in no /etc/hosts line, so the host's resolver says NXDOMAIN at once; an earlier
 * line (0.0.0.0) would stay in Go's five-second /etc/hosts cache in a just-started engine,
 * while the resolver, read again on the HUP that follows, answers the new address at once.
 */
export const HOST_HUB_SCRIPT = [
  'if [ -n "${HUB_GATEWAY:-}" ]; then',
  `  printf '%s' "$HUB_CA" > ${CA_FILE} || exit 1`,
  // OpenSSL programs (curl) find a root in the folder by its hash link.
  `  ln -sf ${CA_FILE} /etc/ssl/certs/$(openssl x509 -hash -noout -in ${CA_FILE}).0 || exit 1`,
  `  { grep -vE '[[:space:]](${NAMES})$' /etc/hosts; for n in ${HUB_NAMES.join(' ')}; do printf '%s\\t%s\\n' "$HUB_GATEWAY" "$n"; done; } > /run/hosts.new && cat /run/hosts.new > /etc/hosts && rm /run/hosts.new || exit 1`,
  `  iptables -w -t nat -N ${CHAIN} 2>/dev/null; iptables -w -t nat -F ${CHAIN} || exit 1`,
  `  iptables -w -t nat -A ${CHAIN} -d "$HUB_GATEWAY" -p tcp --dport 443 -j DNAT --to-destination "$HUB_GATEWAY:$HUB_PORT" || exit 1`,
  `  iptables -w -t nat -C OUTPUT -j ${CHAIN} 2>/dev/null || iptables -w -t nat -I OUTPUT -j ${CHAIN} || exit 1`,
  'fi',
];

export function hostHubEnv(hub: HostHub | undefined): string[] {
  return hub ? [`HUB_GATEWAY=${hub.gateway}`, `HUB_PORT=${hub.port}`, `HUB_CA=${hub.caPem}`] : [];
}
