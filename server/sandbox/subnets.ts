import { randomInt } from 'node:crypto';
import { DrydockError } from '../errors/drydock-error.ts';

/**
 * Cuts a range (e.g. 10.213.0.0/16) into equal subnets, one per session network. The engine's
 * default address pools hold about 30 networks; a few hundred sessions need their own plan.
 */
export class SubnetAllocator {
  private readonly base: number;
  private readonly count: number;
  private readonly size: number;
  /** The prefix length of the whole range (16 for 10.213.0.0/16). */
  readonly rangePrefix: number;
  private readonly used = new Set<number>();
  private cursor = 0;

  /**
   * With `randomStart`, the first subnet taken is anywhere in the range: on a cluster, nodes drop
   * a removed overlay network some time after the manager did, and a server that starts (or a
   * second one) at the range's first subnet would hand that out again while a node still holds it.
   */
  constructor(
    range: string,
    readonly prefix: number,
    options: { randomStart?: boolean } = {},
  ) {
    const [address, bits] = range.split('/') as [string, string];
    const rangeBits = Number(bits);
    if (!(rangeBits <= prefix)) throw new DrydockError('DD_CONFIG_INVALID', `subnet /${prefix} does not fit in ${range}`);
    this.rangePrefix = rangeBits;
    this.base = (toNumber(address) & mask(rangeBits)) >>> 0;
    this.size = 2 ** (32 - prefix);
    this.count = 2 ** (prefix - rangeBits);
    if (options.randomStart) this.cursor = randomInt(this.count);
  }

  /** Takes the next free subnet, in CIDR notation. */
  take(): string {
    for (let tried = 0; tried < this.count; tried++) {
      const index = (this.cursor + tried) % this.count;
      if (this.used.has(index)) continue;
      this.used.add(index);
      this.cursor = (index + 1) % this.count;
      return `${toAddress(this.base + index * this.size)}/${this.prefix}`;
    }
    throw new DrydockError('DD_SANDBOX_CAPACITY', `all ${this.count} session subnets are in use`);
  }

  /** Marks a subnet that something else on the engine already holds, if it lies in the range. */
  markUsed(subnet: string): void {
    const index = this.indexOf(subnet);
    if (index !== undefined) this.used.add(index);
  }

  release(subnet: string): void {
    const index = this.indexOf(subnet);
    if (index !== undefined) this.used.delete(index);
  }

  private indexOf(subnet: string): number | undefined {
    const [address, bits] = subnet.split('/') as [string, string | undefined];
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(address) || Number(bits) !== this.prefix) return undefined;
    const offset = toNumber(address) - this.base;
    if (offset < 0 || offset % this.size !== 0 || offset / this.size >= this.count) return undefined;
    return offset / this.size;
  }
}

/** The first usable address of a subnet, which the engine gives the bridge: the hosts' gateway. */
export function gatewayOf(subnet: string): string {
  return toAddress(toNumber(subnet.split('/')[0] ?? '') + 1);
}

/** Whether an IPv4 address lies in a range such as 10.213.0.0/16. */
export function inRange(address: string, range: string): boolean {
  const [base, bits] = range.split('/') as [string, string];
  return (toNumber(address) & mask(Number(bits))) >>> 0 === (toNumber(base) & mask(Number(bits))) >>> 0;
}

/** Whether two IPv4 CIDRs share an address. */
export function overlaps(left: string, right: string): boolean {
  return inRange(left.split('/')[0]!, right) || inRange(right.split('/')[0]!, left);
}

/**
 * Whether any of `networks` (interface addresses with their prefix, 10.213.0.1/27) narrower than
 * `/rangePrefix` overlaps the subnet.
 */
export function overlapsNarrower(subnet: string, rangePrefix: number, networks: readonly string[]): boolean {
  return networks.some((network) => Number(network.split('/')[1]) > rangePrefix && overlaps(subnet, network));
}

function toNumber(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new DrydockError('DD_CONFIG_INVALID', `not an IPv4 address: ${address}`);
  }
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}
