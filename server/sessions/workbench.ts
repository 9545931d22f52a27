import type { Lab } from '../labs/lab.ts';
import type { HostGroup, HostGroupRecord, Sandbox, SandboxTimings } from '../sandbox/sandbox.ts';
import { HostTerminals } from './host-terminals.ts';
import type { StepChecker, HostChecks } from './step-checker.ts';
import type { StepResult } from './step-progress.ts';

export interface WorkbenchDeps {
  sandbox: Sandbox;
  /** None: steps are never checked (tests of the terminal path). */
  checker: StepChecker | undefined;
  replayBytes: number;
}

/**
 * What a session works on from its start (or a reset) to a reset (or its end): its lab hosts, a
 * terminal in each, and the checks that read them. Made in one call, disposed in one call.
 */
export class Workbench {
  private checks: HostChecks | undefined;

  private constructor(
    readonly hosts: HostGroup,
    readonly terminals: HostTerminals,
    readonly timings: SandboxTimings,
    private readonly checker: StepChecker | undefined,
    lab: Lab,
  ) {
    this.checks = checker?.forHosts(lab, hosts);
  }

  /** Starts the lab's hosts and opens a shell in each, so the first prompt waits for the browser. */
  static async open(lab: Lab, deps: WorkbenchDeps): Promise<Workbench> {
    const hosts = await deps.sandbox.createHostGroup({ hostNames: lab.hosts });
    try {
      const terminals = await HostTerminals.open(hosts.hosts, deps.replayBytes);
      return new Workbench(hosts, terminals, hosts.timings, deps.checker, lab);
    } catch (err) {
      await hosts.dispose();
      throw err;
    }
  }

  /**
   * Takes over a recorded session's hosts after a server restart, re-attaching each host's shell;
   * undefined when its hosts are gone (see Sandbox.adoptHostGroup).
   */
  static async adopt(lab: Lab, record: HostGroupRecord, deps: WorkbenchDeps): Promise<Workbench | undefined> {
    const hosts = await deps.sandbox.adoptHostGroup(record);
    if (!hosts) return undefined;
    try {
      const terminals = await HostTerminals.open(hosts.hosts, deps.replayBytes, { restored: true });
      return new Workbench(hosts, terminals, { readyMs: 0, pooled: 0 }, deps.checker, lab);
    } catch (err) {
      await hosts.dispose();
      throw err;
    }
  }

  /** Dev mode: the same hosts now check a new version of the lab. */
  useLab(lab: Lab): void {
    this.checks?.close();
    this.checks = this.checker?.forHosts(lab, this.hosts);
  }

  verify(stepIndex: number): Promise<StepResult> {
    if (!this.checks) return Promise.resolve({ passed: false, message: 'this step has no checks on this server' });
    return this.checks.verify(stepIndex);
  }

  /** Closes the terminals and the checks' connections, and removes the hosts unless kept (for the next start's sweep). */
  async dispose(options: { keepHosts?: boolean } = {}): Promise<void> {
    this.terminals.close();
    this.checks?.close();
    this.checks = undefined;
    if (!options.keepHosts) await this.hosts.dispose();
  }
}
