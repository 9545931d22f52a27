import { DrydockError } from '../errors/drydock-error.ts';
import type { DockerLabHost } from './docker-lab-host.ts';
import type { HostGroup, LabHost } from './sandbox.ts';

/**
 * What every backend's host group does alike: its hosts in the lab's order and by name, the
 * hosts that stopped on their own and who hears of it, and a removal that runs once.
 */
export abstract class HostGroupBase<H extends DockerLabHost> implements HostGroup {
  protected members: H[] = [];
  private readonly byName = new Map<string, H>();
  private disposing: Promise<void> | undefined;
  private readonly stoppedHosts = new Map<string, string>();
  private readonly stoppedListeners: ((hostName: string, why: string) => void)[] = [];

  constructor(readonly id: string) {}

  abstract get gateway(): string;

  /** Removes the hosts and whatever the group owns besides (its network). */
  protected abstract removeAll(): Promise<void>;

  get hosts(): readonly LabHost[] {
    return this.members;
  }

  add(host: H): void {
    this.members.push(host);
  }

  /** Puts the hosts in the lab's order (pooled ones join in any order) and names them. */
  protected orderHosts(names: readonly string[]): void {
    const byName = new Map(this.members.map((h) => [h.name, h]));
    this.members = names.map((n) => byName.get(n)!);
    for (const host of this.members) this.byName.set(host.name, host);
  }

  get stopped(): ReadonlyMap<string, string> {
    return this.stoppedHosts;
  }

  onHostStopped(listener: (hostName: string, why: string) => void): void {
    this.stoppedListeners.push(listener);
  }

  /** A host stopped on its own: told once, and not while the group is being removed. */
  protected hostStopped(host: H, why: string): void {
    if (this.disposing || this.stoppedHosts.has(host.name)) return;
    this.stoppedHosts.set(host.name, why);
    for (const listener of this.stoppedListeners) listener(host.name, why);
  }

  host(name: string): LabHost {
    const host = this.byName.get(name);
    if (!host) {
      throw new DrydockError('DD_HOST_UNKNOWN', `this session has no host named "${name}" (it has ${[...this.byName.keys()].join(', ')})`);
    }
    return host;
  }

  dispose(): Promise<void> {
    this.disposing ??= this.removeAll();
    return this.disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
