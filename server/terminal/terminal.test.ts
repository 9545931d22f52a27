import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { Shell, TerminalSize } from '../sandbox/sandbox.ts';
import type { DrydockError } from '../errors/drydock-error.ts';
import { INPUT_BACKLOG_BYTES, Terminal, type TerminalOptions } from './terminal.ts';

/** A shell double: the tests play the lab host's side. */
class FakeShell implements Shell {
  written: string[] = [];
  sizes: TerminalSize[] = [];
  paused = false;
  closed = false;
  private dataListeners: ((chunk: Buffer) => void)[] = [];
  private exitListeners: (() => void)[] = [];
  onData(l: (chunk: Buffer) => void) {
    this.dataListeners.push(l);
  }
  onExit(l: () => void) {
    this.exitListeners.push(l);
  }
  inputBacklog = 0;
  write(data: string) {
    this.written.push(data);
  }
  async resize(size: TerminalSize) {
    this.sizes.push(size);
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  close() {
    this.closed = true;
  }
  emit(text: string) {
    for (const l of this.dataListeners) l(Buffer.from(text));
  }
  exit() {
    for (const l of this.exitListeners) l();
  }
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

function setup(extra: Partial<TerminalOptions> = {}) {
  const shell = new FakeShell();
  const terminal = new Terminal('node1', shell, {
    replayBytes: 1024,
    flow: { highBytes: 100, lowBytes: 40 },
    batch: { delayMs: 5, maxBytes: 64 },
    ...extra,
  });
  const received: string[] = [];
  const sink = (batch: readonly Buffer[]) => received.push(Buffer.concat(batch).toString());
  return { shell, terminal, received, sink };
}

test('a re-attaching browser gets the recent output, then the live stream', async () => {
  const { shell, terminal, received, sink } = setup();
  shell.emit('$ ');
  terminal.attach(sink);
  assert.deepEqual(received, ['$ ']);
  terminal.input('ls\r');
  await Promise.resolve(); // input is written once the current task ends (InputCoalescer)
  shell.emit('ls\r\n');
  assert.deepEqual(shell.written, ['ls\r']);
  assert.deepEqual(received, ['$ ', 'ls\r\n']);
  terminal.detach(sink);
  shell.emit('file\r\n$ ');
  assert.equal(received.length, 2, 'nothing is sent while detached');
  const again: string[] = [];
  terminal.attach((batch) => again.push(Buffer.concat(batch).toString()));
  assert.deepEqual(again, ['$ ls\r\nfile\r\n$ ']);
});

test('pauses the shell while the browser is behind, and resumes as it acknowledges', () => {
  const { shell, terminal, sink } = setup();
  terminal.attach(sink);
  let emitted = 0;
  while (!shell.paused && emitted < 10_000) {
    shell.emit('y\n'.repeat(10));
    emitted += 20;
    mock.timers.tick(1);
  }
  assert.equal(shell.paused, true);
  assert.ok(terminal.pendingBytes > 100 && terminal.pendingBytes <= 100 + 64, 'at most one batch beyond the high mark');
  terminal.ack(terminal.pendingBytes - 39);
  assert.equal(shell.paused, false);
});

test('a new attachment starts with a clean flow-control slate', () => {
  const { shell, terminal, sink } = setup({ replayBytes: 16 });
  terminal.attach(sink);
  shell.emit('x'.repeat(101));
  assert.equal(shell.paused, true);
  terminal.attach(() => {});
  assert.equal(shell.paused, false, 'the old browser will never acknowledge');
  terminal.detach(sink);
  assert.ok(terminal.pendingBytes > 0, 'detaching a replaced sink changes nothing');
});

test('reports finished commands and the end of the shell', () => {
  const finished: number[] = [];
  let exited = 0;
  const { shell, terminal, received, sink } = setup({ onCommandFinished: (c) => finished.push(c), onExit: () => exited++ });
  terminal.attach(sink);
  shell.emit('\x1b]133;D;0\x07$ ');
  shell.emit('false\r\n\x1b]133;');
  shell.emit('D;1\x07$ ');
  shell.emit('exit\r\nlogout\r\n');
  shell.exit();
  assert.deepEqual(finished, [0, 1]);
  assert.equal(exited, 1);
  assert.equal(terminal.isExited, true);
  assert.match(received.join(''), /logout\r\n$/, 'output waiting in the batcher is delivered before the exit');
});

test('resizes reach the shell until it has exited', async () => {
  const { shell, terminal } = setup();
  await terminal.resize({ cols: 120, rows: 40 });
  shell.exit();
  await terminal.resize({ cols: 10, rows: 10 });
  assert.deepEqual(shell.sizes, [{ cols: 120, rows: 40 }]);
});

test('input for a shell that stops reading is refused once with a reason, and flows again once it reads', async () => {
  const { shell, terminal } = setup();
  shell.inputBacklog = INPUT_BACKLOG_BYTES;
  assert.throws(
    () => terminal.input('x'.repeat(1000)),
    (err: DrydockError) => err.code === 'DD_INPUT_BACKLOG' && /node1 is not reading what you type \(256 KiB/.test(err.message),
  );
  terminal.input('y'.repeat(1000));
  terminal.input('\x03');
  await Promise.resolve();
  assert.deepEqual(shell.written, [], 'dropped, and said only once');
  shell.inputBacklog = 0;
  terminal.input('ls\r');
  await Promise.resolve();
  assert.deepEqual(shell.written, ['ls\r'], 'once it reads again, input flows');
  shell.inputBacklog = INPUT_BACKLOG_BYTES;
  assert.throws(() => terminal.input('z'), /not reading/, 'a new episode is reported again');
});

test('a burst of resizes reaches the engine one at a time and ends in the last size', async () => {
  mock.timers.reset();
  const { shell, terminal } = setup();
  let release: () => void = () => {};
  shell.resize = async (size) => {
    shell.sizes.push(size);
    await new Promise<void>((resolve) => (release = resolve));
  };
  const done = Array.from({ length: 50 }, (_, i) => terminal.resize({ cols: 80 + i, rows: 24 }));
  assert.equal(shell.sizes.length, 1, 'one call in flight');
  release();
  await new Promise((r) => setImmediate(r));
  release();
  await Promise.all(done);
  assert.deepEqual(shell.sizes, [
    { cols: 80, rows: 24 },
    { cols: 129, rows: 24 },
  ]);
});
