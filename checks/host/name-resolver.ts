import { isIPv4 } from 'node:net';
import { ProbeFailure } from '../probe-failure.ts';
import { isLoopback } from '../registry/registry-address.ts';
import { TtlCache } from '../support/ttl-cache.ts';
import type { CheckedHost } from './checked-host.ts';

const LOOKUP_TTL_MS = 10_000;

export interface Resolved {
  /** Address on the session network that this process can connect to. */
  address: string;
  /** The name means the looking host itself. */
  local: boolean;
}

/**
 * Resolves names the way a client inside one lab host does, to addresses the platform can
 * reach: loopback is the host itself, session host names are known, and any other name is
 * looked up inside the host (its /etc/hosts may say anything the learner wrote there).
 */
export class NameResolver {
  private readonly lookups = new TtlCache<string>(LOOKUP_TTL_MS);

  constructor(
    private readonly host: CheckedHost,
    private readonly sessionHosts: readonly CheckedHost[],
  ) {}

  /** The session has hosts besides this one (messages then say which host they mean). */
  get sessionHasOthers(): boolean {
    return this.sessionHosts.length > 1;
  }

  async resolve(name: string): Promise<Resolved> {
    const known = this.known(name);
    if (known) return known;
    const ip = await this.lookups.get(name, () => this.lookUp(name));
    return this.known(ip) ?? { address: ip, local: false };
  }

  private known(name: string): Resolved | undefined {
    if (isLoopback(name)) return { address: this.host.address, local: true };
    const byName = this.sessionHosts.find((h) => h.name === name || h.address === name);
    if (byName) return { address: byName.address, local: byName === this.host };
    return isIPv4(name) ? { address: name, local: false } : undefined;
  }

  private async lookUp(name: string): Promise<string> {
    const r = await this.host.exec(['getent', 'ahostsv4', name]);
    const ip = r.exitCode === 0 ? r.stdout.split(/\s+/)[0] : undefined;
    if (!ip || !isIPv4(ip)) throw new ProbeFailure(`the name ${name} does not resolve in ${this.host.name}: add it to /etc/hosts or use an address`);
    return ip;
  }
}
