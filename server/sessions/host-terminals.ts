import { FLOW } from '../../shared/protocol.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { LabHost, TerminalSize } from '../sandbox/sandbox.ts';
import { Terminal, type OutputSink } from '../terminal/terminal.ts';
import { Emitter, type Unsubscribe } from '../support/emitter.ts';

const INITIAL_SIZE: TerminalSize = { cols: 80, rows: 24 };
/** Output is collected for this long once it flows (VS Code's pty host uses 5 ms). */
const BATCH = { delayMs: 4, maxBytes: 64 * 1024 };

/** A command returned to the prompt in one host's terminal. */
export interface CommandFinished {
  host: string;
  exitCode: number;
}

/** Who sees the terminals: the learner's browser, as the session forwards it. */
export interface TerminalViewer {
  /**
   * The host's terminal (re)attached: its recent output follows. `restored`: the shell was taken
   * over after a server restart, and what it showed before that is not among that output.
   */
  attached(host: string, index: number, restored: boolean): void;
  /** Output of the terminal of the host at this index of the session's host list, as a list of chunks. */
  output(hostIndex: number, chunks: readonly Buffer[]): void;
  /** The host's shell ended (the learner typed `exit`). */
  exited(host: string): void;
}

/** One terminal per host of a session, and the one viewer their output flows to. */
export class HostTerminals {
  private readonly terminals = new Map<string, Terminal>();
  private readonly sinks = new Map<string, OutputSink>();
  /** Restarts under way: one shell per host, however many restart messages arrive meanwhile. */
  private readonly restarts = new Map<string, Promise<void>>();
  private viewer: TerminalViewer | undefined;
  /** Hosts whose shell a restarted server took over (until a new shell replaces it). */
  private readonly restored = new Set<string>();
  /** Read-only viewers (instructors watching), with each one's taps by host. */
  private readonly watchers = new Map<TerminalViewer, Map<string, Unsubscribe>>();
  private readonly commandFinished = new Emitter<CommandFinished>();
  readonly onCommandFinished = this.commandFinished.event;

  private constructor(
    private readonly hosts: readonly LabHost[],
    private readonly replayBytes: number,
  ) {}

  /**
   * Opens a shell in every host, so the first prompt is waiting before the browser connects.
   * `restored`: the hosts were taken over after a server restart; each shell is the one that
   * ran before (see docker-shell.ts), re-attached.
   */
  static async open(hosts: readonly LabHost[], replayBytes: number, options: { restored?: boolean } = {}): Promise<HostTerminals> {
    const terminals = new HostTerminals(hosts, replayBytes);
    try {
      await Promise.all(hosts.map((h) => terminals.openShell(h)));
    } catch (err) {
      terminals.close();
      throw err;
    }
    if (options.restored) for (const host of hosts) terminals.restored.add(host.name);
    return terminals;
  }

  get(host: string): Terminal {
    const terminal = this.terminals.get(host);
    if (!terminal) throw new DrydockError('DD_HOST_UNKNOWN', `this session has no host named "${host}"`);
    return terminal;
  }

  /**
   * Sends every terminal's recent output to `viewer`, then its live output, until the returned
   * function is called or another viewer takes over (its acknowledgements drive flow control).
   */
  view(viewer: TerminalViewer): Unsubscribe {
    this.stopViewing();
    this.viewer = viewer;
    for (const host of this.hosts) this.attachOne(host.name);
    return () => {
      if (this.viewer === viewer) this.stopViewing();
    };
  }

  /**
   * Shows every terminal to a read-only viewer besides the learner's: recent output, then live
   * output, unbatched and outside flow control (the learner's pace never waits for it).
   */
  watch(viewer: TerminalViewer): Unsubscribe {
    this.watchers.set(viewer, new Map());
    for (const host of this.hosts) this.tapOne(viewer, host.name);
    return () => {
      for (const stop of this.watchers.get(viewer)?.values() ?? []) stop();
      this.watchers.delete(viewer);
    };
  }

  /** Opens a new shell in a host whose shell has exited. */
  restart(host: string): Promise<void> {
    if (!this.get(host).isExited) return Promise.resolve();
    let restart = this.restarts.get(host);
    if (!restart) {
      restart = this.openShell(this.hosts.find((h) => h.name === host)!)
        .then(() => {
          this.restored.delete(host);
          if (this.viewer) this.attachOne(host);
          for (const watcher of this.watchers.keys()) this.tapOne(watcher, host);
        })
        .finally(() => this.restarts.delete(host));
      this.restarts.set(host, restart);
    }
    return restart;
  }

  close(): void {
    for (const terminal of this.terminals.values()) terminal.close();
    this.terminals.clear();
    this.sinks.clear();
    this.viewer = undefined;
    this.watchers.clear();
    this.commandFinished.clear();
  }

  private async openShell(host: LabHost): Promise<void> {
    const shell = await host.openShell(INITIAL_SIZE);
    const terminal = new Terminal(host.name, shell, {
      replayBytes: this.replayBytes,
      flow: FLOW,
      batch: BATCH,
      onCommandFinished: (exitCode) => this.commandFinished.fire({ host: host.name, exitCode }),
      onExit: () => {
        this.viewer?.exited(host.name);
        for (const watcher of this.watchers.keys()) watcher.exited(host.name);
      },
    });
    this.terminals.get(host.name)?.close();
    this.terminals.set(host.name, terminal);
  }

  private stopViewing(): void {
    this.viewer = undefined;
    for (const [host, sink] of this.sinks) this.terminals.get(host)?.detach(sink);
    this.sinks.clear();
  }

  private tapOne(viewer: TerminalViewer, host: string): void {
    const taps = this.watchers.get(viewer)!;
    const index = this.hosts.findIndex((h) => h.name === host);
    taps.get(host)?.();
    viewer.attached(host, index, this.restored.has(host));
    const terminal = this.get(host);
    taps.set(
      host,
      terminal.tap((chunk) => viewer.output(index, [chunk])),
    );
    if (terminal.isExited) viewer.exited(host);
  }

  private attachOne(host: string): void {
    const viewer = this.viewer!;
    const index = this.hosts.findIndex((h) => h.name === host);
    const sink: OutputSink = (chunks) => viewer.output(index, chunks);
    this.sinks.set(host, sink);
    viewer.attached(host, index, this.restored.has(host));
    const terminal = this.get(host);
    terminal.attach(sink);
    if (terminal.isExited) viewer.exited(host);
  }
}
