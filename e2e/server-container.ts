/**
 * Helpers for the tests that run the server image beside this engine (server-image.test.ts,
 * compose.test.ts): the engines' CLI, a free port, this machine's extra CA certificates, polling.
 * The server's container runs on the machine's engine; its lab hosts run on the engine Drydock
 * owns, whose socket the container is given.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ENGINE_SOCKETS } from '../server/config/config.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The tag both tests build, so the second build of a run is a layer-cache hit. */
export const SERVER_IMAGE = 'drydock/server:test';
/** The socket of the engine that runs lab hosts, mounted into the server's container at the same path. */
export const LAB_ENGINE_SOCKET = ENGINE_SOCKETS.userns;
const LOCAL_CAS = '/usr/local/share/ca-certificates';

const run = promisify(execFile);

/** Runs a command in the repository; its trimmed standard output. */
export async function command(file: string, args: string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { stdout } = await run(file, args, { cwd: ROOT, timeout: timeoutMs, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** The machine engine's CLI: it builds and runs the server's container. */
export function docker(args: string[], timeoutMs = 60_000): Promise<string> {
  return command('docker', args, timeoutMs);
}

/** The CLI of the engine that runs lab hosts. */
export function labEngine(args: string[], timeoutMs = 60_000): Promise<string> {
  return command('docker', args, timeoutMs, { ...process.env, DOCKER_HOST: `unix://${LAB_ENGINE_SOCKET}` });
}

/** A port nothing listens on now (the container shares the host's network). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CA certificates this machine added (a TLS-inspecting proxy's), for the build's npm and curl. */
export async function localCaCerts(): Promise<string> {
  const files = await readdir(LOCAL_CAS).catch(() => [] as string[]);
  const pems = await Promise.all(files.filter((f) => f.endsWith('.crt')).map((f) => readFile(`${LOCAL_CAS}/${f}`, 'utf8')));
  return pems.join('\n');
}

/** Polls `probe` until it gives a value; past the deadline, fails with the server's log. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, logs: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000}s; the server's log:\n${await logs()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The containers and networks still carrying this owner's label on either engine, one per line. */
export async function ownedLeftovers(owner: string): Promise<string> {
  const filter = ['--filter', `label=io.drydock.owner=${owner}`];
  const found = await Promise.all(
    [docker, labEngine].flatMap((cli) => [
      cli(['ps', '-a', '--format', 'container {{.Names}}', ...filter]),
      cli(['network', 'ls', '--format', 'network {{.Name}}', ...filter]),
    ]),
  );
  return found.filter(Boolean).join('\n');
}
