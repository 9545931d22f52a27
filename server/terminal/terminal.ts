import { CommandMarkerScanner } from './command-marker.ts';
import { FlowControl, type FlowLimits } from './flow-control.ts';
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
  private exited = false;
  private readonly replay: ReplayBuffer;
  private readonly flow: FlowControl;
  private readonly batcher: OutputBatcher;
  private readonly marks = new CommandMarkerScanner();

  constructor(
    readonly hostName: string,
    private readonly shell: Shell,
    private readonly options: TerminalOptions,
  ) {
    this.replay = new ReplayBuffer(options.replayBytes);
    this.flow = new FlowControl(options.flow, shell);
    this.batcher = new OutputBatcher((batch, bytes) => this.send(batch, bytes), options.batch, options.timers);
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

  detach(sink: OutputSink): void {
    if (this.sink !== sink) return;
    this.sink = undefined;
    this.batcher.discard();
    this.flow.reset();
  }

  input(data: string): void {
    this.shell.write(data);
  }

  ack(bytes: number): void {
    this.flow.acked(bytes);
  }

  resize(size: TerminalSize): Promise<void> {
    return this.exited ? Promise.resolve() : this.shell.resize(size);
  }

  close(): void {
    this.sink = undefined;
    this.batcher.discard();
    this.shell.close();
  }

  private received(chunk: Buffer): void {
    this.replay.push(chunk);
    if (this.sink) this.batcher.push(chunk);
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
