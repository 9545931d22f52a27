import { FLOW } from '../../shared/protocol.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { LabHost, TerminalSize } from '../sandbox/sandbox.ts';
import { Terminal, type OutputSink } from '../terminal/terminal.ts';
import { Emitter } from '../support/emitter.ts';
import type { SessionClient } from './session-client.ts';

const INITIAL_SIZE: TerminalSize = { cols: 80, rows: 24 };
/** Output is collected for this long once it flows (VS Code's pty host uses 5 ms). */
const BATCH = { delayMs: 4, maxBytes: 64 * 1024 };

/** A command returned to the prompt in one host's terminal. */
export interface CommandFinished {
  host: string;
  exitCode: number;
}

/** One terminal per host of a session, and the browser they are attached to. */
export class HostTerminals {
  private readonly terminals = new Map<string, Terminal>();
  private readonly sinks = new Map<string, OutputSink>();
  /** Restarts under way: one shell per host, however many restart messages arrive meanwhile. */
  private readonly restarts = new Map<string, Promise<void>>();
  private client: SessionClient | undefined;
  private readonly commandFinished = new Emitter<CommandFinished>();
  readonly onCommandFinished = this.commandFinished.event;

  private constructor(
    private readonly hosts: readonly LabHost[],
    private readonly replayBytes: number,
  ) {}

  /** Opens a shell in every host, so the first prompt is waiting before the browser connects. */
  static async open(hosts: readonly LabHost[], replayBytes: number): Promise<HostTerminals> {
    const terminals = new HostTerminals(hosts, replayBytes);
    try {
      await Promise.all(hosts.map((h) => terminals.openShell(h)));
    } catch (err) {
      terminals.close();
      throw err;
    }
    return terminals;
  }

  get(host: string): Terminal {
    const terminal = this.terminals.get(host);
    if (!terminal) throw new DrydockError('DD_HOST_UNKNOWN', `this session has no host named "${host}"`);
    return terminal;
  }

  /** Sends every terminal's recent output to `client`, then its live output. */
  attach(client: SessionClient): void {
    this.client = client;
    for (const host of this.hosts) this.attachOne(host.name);
  }

  detach(client: SessionClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    for (const [host, sink] of this.sinks) this.terminals.get(host)?.detach(sink);
    this.sinks.clear();
  }

  /** Opens a new shell in a host whose shell has exited. */
  restart(host: string): Promise<void> {
    if (!this.get(host).isExited) return Promise.resolve();
    let restart = this.restarts.get(host);
    if (!restart) {
      restart = this.openShell(this.hosts.find((h) => h.name === host)!)
        .then(() => {
          if (this.client) this.attachOne(host);
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
    this.client = undefined;
    this.commandFinished.clear();
  }

  private async openShell(host: LabHost): Promise<void> {
    const shell = await host.openShell(INITIAL_SIZE);
    const terminal = new Terminal(host.name, shell, {
      replayBytes: this.replayBytes,
      flow: FLOW,
      batch: BATCH,
      onCommandFinished: (exitCode) => {
        this.client?.message({ type: 'commandFinished', host: host.name, exitCode });
        this.commandFinished.fire({ host: host.name, exitCode });
      },
      onExit: () => this.client?.message({ type: 'exited', host: host.name }),
    });
    this.terminals.get(host.name)?.close();
    this.terminals.set(host.name, terminal);
  }

  private attachOne(host: string): void {
    const client = this.client!;
    const index = this.hosts.findIndex((h) => h.name === host);
    const sink: OutputSink = (chunks) => client.output(index, chunks);
    this.sinks.set(host, sink);
    client.message({ type: 'attached', host, index });
    const terminal = this.get(host);
    terminal.attach(sink);
    if (terminal.isExited) client.message({ type: 'exited', host });
  }
}
