import type { CheckTarget } from './check-kind.ts';
import { EngineClient } from './engine/engine-client.ts';
import type { CheckedSession } from './host/checked-host.ts';
import { HostFiles } from './host/host-files.ts';
import { NameResolver } from './host/name-resolver.ts';
import { RegistryConnector } from './registry/registry-connector.ts';
import type { ReceivedEvent } from './registry/registry-event.ts';
import { AgentPool } from './support/agents.ts';

export interface CheckContextOptions {
  /** Longest wait for one answer from an engine or a registry. */
  timeoutMs?: number;
  /** The registry notifications the platform received from this session's hosts. */
  hooks?: () => readonly ReceivedEvent[];
}

/**
 * Everything checks of one session share: keep-alive connections, cached files and name
 * lookups. Make one per session, keep it while the session lives, close it at the end.
 *
 * @example
 * using context = new CheckContext(session);
 * const results = await runChecks(step.checks, context);
 */
export class CheckContext implements Disposable {
  private readonly agents = new AgentPool();
  private readonly targets = new Map<string, CheckTarget>();
  private readonly timeoutMs: number;
  private readonly hooks: () => readonly ReceivedEvent[];

  constructor(
    private readonly session: CheckedSession,
    options: CheckContextOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.hooks = options.hooks ?? (() => []);
  }

  /** The view from one host; throws DD_HOST_UNKNOWN for a name the session lacks. */
  target(hostName: string): CheckTarget {
    let target = this.targets.get(hostName);
    if (!target) {
      const host = this.session.host(hostName);
      const files = new HostFiles(host);
      target = {
        host,
        engine: new EngineClient(host, this.agents.http, this.timeoutMs),
        registries: new RegistryConnector(host, new NameResolver(host, this.session.hosts), files, this.agents, this.timeoutMs),
        files,
        hooks: this.hooks,
      };
      this.targets.set(hostName, target);
    }
    return target;
  }

  close(): void {
    this.agents.destroy();
    this.targets.clear();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
