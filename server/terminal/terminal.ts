import { DrydockError } from '../errors/drydock-error.ts';
import { CommandMarkerScanner } from './command-marker.ts';
import { FlowControl, type FlowLimits } from './flow-control.ts';
import { InputCoalescer } from './input-coalescer.ts';
import { OutputBatcher, type BatchOptions, type Timers } from './output-batcher.ts';
import { ReplayBuffer } from './replay-buffer.ts';
import type { Shell, TerminalSize } from '../sandbox/sandbox.ts';

export interface TerminalOptions {
  /** Recent output kept for a browser that re-attaches. */
  replayBytes: number;
  flow: FlowLimits;
  batch: BatchOptions;
  timers?: Timers;
  onCommandFinished?: (exitCode: number) => void;
  onExit?: () => void;
}

/**
 * Input for a shell whose program does not read it (a paste flood into `sleep`) waits in the
 * server's memory; past this many bytes it is dropped. Ctrl-C cannot help then: it queues behind
 * the input like any other byte, which is also why the limit is far above any real paste.
 */
export const INPUT_BACKLOG_BYTES = 256 * 1024;

/** Where a terminal's output goes while a browser is attached: a batch of chunks and its size. */
export type OutputSink = (batch: readonly Buffer[], bytes: number) => void;

/**
 * One learner terminal: a shell in a lab host that outlives the browser connection. Output is
 * always recorded for replay; while a sink is attached it is batched, sent, and throttled by the
 * sink's acknowledgements. With nothing attached, the shell keeps running and only the replay
 * buffer keeps its recent output (what `tmux` does for a detached client).
 */
export class Terminal {
  private sink: OutputSink | undefined;
  /** Read-only viewers: every chunk as it comes, never waited for (they drop themselves when slow). */
  private readonly taps = new Set<(chunk: Buffer) => void>();
  private exited = false;
  private readonly replay: ReplayBuffer;
  private readonly flow: FlowControl;
  private readonly batcher: OutputBatcher;
  private readonly marks = new CommandMarkerScanner();
  private readonly typed: InputCoalescer;
  /** Input is being refused; the learner has been told once. */
  private refusingInput = false;
  /** Resizes go to the engine one at a time; a burst (dragging the divider) ends in the last size. */
  private resizing: Promise<void> | undefined;
  private nextSize: TerminalSize | undefined;

  constructor(
    readonly hostName: string,
    private readonly shell: Shell,
    private readonly options: TerminalOptions,
  ) {
    this.replay = new ReplayBuffer(options.replayBytes);
    this.flow = new FlowControl(options.flow, shell);
    this.batcher = new OutputBatcher((batch, bytes) => this.send(batch, bytes), options.batch, options.timers);
    this.typed = new InputCoalescer((data) => this.shell.write(data));
    shell.onData((chunk) => this.received(chunk));
    shell.onExit(() => this.ended());
  }

  get isExited(): boolean {
    return this.exited;
  }

  /** Bytes sent to the attached browser and not yet acknowledged. */
  get pendingBytes(): number {
    return this.flow.pendingBytes;
  }

  /** Sends the recent output to `sink`, then everything that follows; replaces any earlier sink. */
  attach(sink: OutputSink): void {
    this.batcher.discard();
    this.flow.reset();
    this.sink = sink;
    const recent = this.replay.snapshot();
    if (recent.length > 0) this.send([recent], recent.length);
  }

  /** A read-only viewer: the recent output, then every chunk; outside flow control, so it never slows the learner. */
  tap(listener: (chunk: Buffer) => void): () => void {
    const recent = this.replay.snapshot();
    if (recent.length > 0) listener(recent);
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  detach(sink: OutputSink): void {
    if (this.sink !== sink) return;
    this.sink = undefined;
    this.batcher.discard();
    this.flow.reset();
  }

  /** Types into the shell; throws DD_INPUT_BACKLOG once when the shell stops taking input. */
  input(data: string | Uint8Array): void {
    const backlog = this.shell.inputBacklog + this.typed.pendingBytes;
    if (backlog >= INPUT_BACKLOG_BYTES) {
      if (this.refusingInput) return;
      this.refusingInput = true;
      throw new DrydockError(
        'DD_INPUT_BACKLOG',
        `${this.hostName} is not reading what you type (${Math.round(backlog / 1024)} KiB are waiting), so further input is dropped ` +
          'until the running command reads it or ends.',
      );
    }
    if (backlog < INPUT_BACKLOG_BYTES / 2) this.refusingInput = false;
    this.typed.push(data);
  }

  ack(bytes: number): void {
    this.flow.acked(bytes);
  }

  resize(size: TerminalSize): Promise<void> {
    if (this.exited) return Promise.resolve();
    if (this.resizing) {
      this.nextSize = size;
      return this.resizing;
    }
    this.resizing = (async () => {
      try {
        let next: TerminalSize | undefined = size;
        while (next && !this.exited) {
          this.nextSize = undefined;
          await this.shell.resize(next);
          next = this.nextSize;
        }
      } finally {
        this.resizing = undefined;
      }
    })();
    return this.resizing;
  }

  close(): void {
    this.sink = undefined;
    this.taps.clear();
    this.batcher.discard();
    this.typed.discard();
    this.shell.close();
  }

  private received(chunk: Buffer): void {
    this.replay.push(chunk);
    if (this.sink) this.batcher.push(chunk);
    for (const tap of this.taps) tap(chunk);
    for (const exitCode of this.marks.scan(chunk)) this.options.onCommandFinished?.(exitCode);
  }

  private send(batch: readonly Buffer[], bytes: number): void {
    if (!this.sink) return;
    this.flow.sent(bytes);
    this.sink(batch, bytes);
  }

  private ended(): void {
    if (this.exited) return;
    this.exited = true;
    this.batcher.drain();
    this.options.onExit?.();
  }
}
