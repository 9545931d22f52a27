import type { ExecOptions, ExecResult } from './exec.ts';
import type { KernelFeatures } from './kernel.ts';

/**
 * The sandbox engine: the only part of Drydock that talks to a container engine. Everything
 * above it (sessions, terminals, checks) sees lab hosts through these interfaces: one machine's
 * engine (docker-sandbox.ts) or a Docker Swarm of lab nodes (cluster/) stands behind them.
 */
export interface LabHost {
  /** The name from the lab (node1, manager): hostname, prompt and DNS name on the session network. */
  readonly name: string;
  readonly containerId: string;
  /**
   * Where the platform reaches the host's services: its engine's API relay on ENGINE_API_PORT
   * (shared/platform.ts), and whatever the learner publishes. On one machine the host's address on
   * its session network; on a cluster its address on its node's docker_gwbridge.
   */
  readonly address: string;
  /** Runs a command to completion in the host (not in a terminal). */
  exec(cmd: string[], options?: ExecOptions): Promise<ExecResult>;
  /** Opens an interactive login shell on a TTY in the host: what a learner's terminal shows. */
  openShell(size: TerminalSize): Promise<Shell>;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** An interactive shell on a TTY in a lab host: bytes out, keystrokes in, a size. */
export interface Shell {
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the shell ends (the learner typed `exit`, or the host went away). */
  onExit(listener: () => void): void;
  /** Text is written as UTF-8; bytes as they are (a mouse report's bytes above 0x7f). */
  write(data: string | Uint8Array): void;
  /** Bytes written and not yet taken by the host (a program that does not read its input). */
  readonly inputBacklog: number;
  resize(size: TerminalSize): Promise<void>;
  /** Stops reading output; the TTY fills and the program writing to it blocks. */
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * The lab hosts of one session, on a network of their own, from its start (or reset) to its
 * reset (or end). Its id names it to the webhook receiver.
 */
export interface HostGroup {
  readonly id: string;
  readonly hosts: readonly LabHost[];
  /** Where this session's hosts reach the platform: the machine's address on the session network, or the server's on a cluster. */
  readonly gateway: string;
  /** Hosts that stopped on their own (killed, out of memory, an engine restart), by name, with why. */
  readonly stopped: ReadonlyMap<string, string>;
  /** Called once for each host that stops on its own; a session's fresh hosts come with a reset. */
  onHostStopped(listener: (hostName: string, why: string) => void): void;
  /** The host with this lab name; throws DD_HOST_UNKNOWN for any other. */
  host(name: string): LabHost;
  /** Removes the hosts (their disks with them) and the session network. Safe to call twice. */
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface HostGroupRequest {
  /** Host names as the lab declares them; each becomes a hostname and a DNS name. */
  hostNames: readonly string[];
}

/** The host group of a running session as a store recorded it: enough to find its hosts again. */
export interface HostGroupRecord {
  hostGroupId: string;
  hostNames: readonly string[];
}

export interface SandboxTimings {
  /** Milliseconds from request to every host's engine answering. */
  readyMs: number;
  /** How many hosts came from the warm pool. */
  pooled: number;
}

export interface Sandbox {
  readonly kernel: KernelFeatures;
  createHostGroup(request: HostGroupRequest): Promise<HostGroup & { timings: SandboxTimings }>;
  /**
   * Takes over the hosts of a session that a server which went away (a restart, a crash) left
   * running, as they were: their shells, their containers, their network. Undefined when one of
   * them is gone or stopped; whatever is left of the group is removed then.
   */
  adoptHostGroup(record: HostGroupRecord): Promise<HostGroup | undefined>;
  /** What keeps lab hosts from starting right now (the engine not answering), if anything. */
  engineProblem(): Promise<string | undefined>;
  /** Ready hosts waiting in the warm pool right now. */
  poolSize(): number;
  /** Waits until the warm pool is full (tests and benchmarks use it to measure from a known state). */
  poolFilled(): Promise<void>;
  /**
   * Removes every session's hosts and the pool; with keepHosts, leaves them all running for the
   * next start, which adopts the hosts of the sessions still recorded and sweeps the rest.
   */
  close(options?: { keepHosts?: boolean }): Promise<void>;
}

export type { ExecOptions, ExecResult, KernelFeatures };
