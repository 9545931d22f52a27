/**
 * A lab host as checks see it: a name, an address on the session network, and a way to run a
 * command in it. Declared here so `checks/` needs nothing from `server/`; the sandbox's LabHost
 * has these members and so is one, structurally.
 */
export interface CheckedHost {
  /** The name from the lab (node1, manager); also its DNS name on the session network. */
  readonly name: string;
  /** Where the platform reaches the host's services: its engine's API relay, published ports. */
  readonly address: string;
  /** Runs a command to completion in the host (not in a terminal). */
  exec(cmd: string[]): Promise<HostExecResult>;
}

export interface HostExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The hosts of a session, as checks see them. */
export interface CheckedSession {
  readonly hosts: readonly CheckedHost[];
  /** The host with this lab name; throws for any other. */
  host(name: string): CheckedHost;
}
