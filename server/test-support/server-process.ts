/** Test support, not used in production code: `npm start`'s server as a process of its own, as an operator runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.ts';
import { startTestSandbox, testConfig } from './sandbox.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The environment of a server process of this test's own: its owner, ports and data dir (the
 * test's config), the e2e fixture labs, and otherwise the defaults an operator gets.
 */
function serverEnv(config: Config, port: number, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DRYDOCK_OWNER: config.owner,
    DRYDOCK_PORT: String(port),
    DRYDOCK_HOOKS_PORT: String(config.hooksPort),
    DRYDOCK_HUB_PORT: String(config.hubPort),
    DRYDOCK_DATA_DIR: dataDir,
    DRYDOCK_LABS_DIR: fileURLToPath(new URL('../../e2e/fixtures/labs/', import.meta.url)),
    DRYDOCK_LOG_LEVEL: 'warn',
  };
}

/** Runs `npm start`'s server (without the web build) as its own process; resolves once it is ready. `log()`: its standard error so far. */
export async function startServerProcess(env: NodeJS.ProcessEnv, url: string): Promise<ChildProcess & { log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b));
  try {
    await waitUntil(
      async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
      'the server to be ready',
      180_000,
      () => child.exitCode !== null,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- server stderr\n${stderr.slice(-2000)}`);
  }
  return Object.assign(child, { log: () => stderr });
}

export async function waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs: number, failed: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (failed()) throw new Error(`gave up waiting for ${what}: the process ended`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** Whether a server's warm pool holds this many ready hosts, read from its metrics. */
export function poolFilled(url: string, size: number): () => Promise<boolean> {
  return async () => new RegExp(`^drydock_hosts\\{place="pool"\\} ${size}$`, 'm').test(await (await fetch(`${url}/metrics`)).text());
}

/**
 * Kills whatever server processes still run and removes what they leave: a killed server keeps
 * its sessions' hosts for the next start, so a test that stops half-way must sweep them itself.
 */
async function sweepAfter(servers: readonly ChildProcess[], config: Config): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }),
  );
  await (await startTestSandbox(config)).close();
}

/** One test's server, started and restarted as a process: the same owner, port and data folder each time. */
export interface ServerProcesses {
  config: Config;
  url: string;
  /** Starts the server with the test's environment and `extra` settings; resolves once it is ready. */
  start(extra?: NodeJS.ProcessEnv): Promise<ChildProcess & { log: () => string }>;
  /** Kills every server still running, sweeps what they left on the engine, removes the data folder. */
  close(): Promise<void>;
}

/** A test config, a data folder and a port (from portBase up) of the test's own, for servers run as `npm start` runs them. */
export async function serverProcesses(portBase: number): Promise<ServerProcesses> {
  const config = testConfig();
  const dataDir = await mkdtemp(join(tmpdir(), 'drydock-server-process-'));
  const port = portBase + randomInt(200);
  const url = `http://127.0.0.1:${port}`;
  const env = serverEnv(config, port, dataDir);
  const servers: ChildProcess[] = [];
  return {
    config,
    url,
    start: async (extra = {}) => {
      const server = await startServerProcess({ ...env, ...extra }, url);
      servers.push(server);
      return server;
    },
    close: async () => {
      await sweepAfter(servers, config);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
