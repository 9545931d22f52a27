import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { DtachOutputFilter } from './dtach-output.ts';
import type { Shell, TerminalSize } from './sandbox.ts';

/** What a learner's shell gets: 256 colours and UTF-8 line editing in bash's readline. */
const SHELL_ENV = ['TERM=xterm-256color', 'COLORTERM=truecolor', 'LANG=C.UTF-8'];

/** The socket of the host's one learner shell, in the host's /run (a tmpfs that goes with it). */
export const SHELL_SOCKET = '/run/drydock/shell';

/**
 * The learner's shell runs under dtach, so it outlives the exec that shows it: when the server
 * goes away (a restart, `kill -9`) only dtach's client in the exec ends, and the next server's
 * exec attaches to the same bash with whatever it runs. `-A` attaches, or starts the shell when
 * there is none (the first terminal, or after `exit`). `-E`: no detach key, every byte is the
 * learner's; `-z`: Ctrl-Z goes to the shell; `-r winch`: a full-screen program redraws on attach.
 * dtach ends when nothing holds the shell's terminal any more: `huponexit` makes `exit` hang up
 * the learner's background jobs as closing a terminal window does, so `exit` still ends it.
 */
const SHELL_COMMAND = ['dtach', '-A', SHELL_SOCKET, '-E', '-z', '-r', 'winch', 'bash', '-l', '-O', 'huponexit'];

/**
 * Opens the learner's shell through the Engine API: an exec with a TTY, attached over one hijacked
 * connection. No docker CLI process per terminal (node-pty + `docker exec -it` costs ~24 MiB
 * each here); the TTY lives in the lab host, so resize is an API call and output arrives as raw bytes.
 */
export async function openDockerShell(container: Docker.Container, size: TerminalSize): Promise<Shell> {
  const exec = await container.exec({
    Cmd: SHELL_COMMAND,
    Tty: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Env: SHELL_ENV,
    WorkingDir: '/root',
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
  (stream as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const shell = new DockerShell(exec, stream);
  await shell.resize(size);
  return shell;
}

class DockerShell implements Shell {
  constructor(
    private readonly exec: Docker.Exec,
    private readonly stream: Duplex,
  ) {
    // An engine that goes away mid-stream ends the shell; onExit reports it.
    stream.on('error', () => stream.destroy());
  }

  onData(listener: (chunk: Buffer) => void): void {
    const dtach = new DtachOutputFilter();
    this.stream.on('data', (chunk: Buffer) => {
      const output = dtach.filter(chunk);
      if (output.length > 0) listener(output);
    });
  }

  onExit(listener: () => void): void {
    this.stream.once('close', listener);
  }

  write(data: string | Uint8Array): void {
    if (this.stream.writable) this.stream.write(data);
  }

  get inputBacklog(): number {
    return this.stream.writableLength;
  }

  async resize(size: TerminalSize): Promise<void> {
    await this.exec.resize({ h: size.rows, w: size.cols });
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  close(): void {
    this.stream.destroy();
  }
}
