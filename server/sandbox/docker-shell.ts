import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { Shell, TerminalSize } from './sandbox.ts';

/** What a learner's shell gets: 256 colours and UTF-8 line editing in bash's readline. */
const SHELL_ENV = ['TERM=xterm-256color', 'COLORTERM=truecolor', 'LANG=C.UTF-8'];

/**
 * Opens a shell through the Engine API: an exec with a TTY, attached over one hijacked
 * connection. No docker CLI process per terminal (node-pty + `docker exec -it` costs ~24 MiB
 * each here); the TTY lives in the lab host, so resize is an API call and output arrives as raw bytes.
 */
export async function openDockerShell(container: Docker.Container, size: TerminalSize): Promise<Shell> {
  const exec = await container.exec({
    Cmd: ['bash', '-l'],
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
    this.stream.on('data', listener);
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
