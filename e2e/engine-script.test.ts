/**
 * scripts/engine.sh starts the engine so that the Ctrl-C ending `scripts/start.sh` leaves it
 * running. It runs here against stand-ins for dockerd, docker and systemctl on PATH: the real
 * engine of this machine is never touched.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SCRIPT = fileURLToPath(new URL('../scripts/engine.sh', import.meta.url));

/** The stand-ins, all driven by files in `state`. */
const STUBS = {
  // Answers once a stand-in engine is up on the socket DOCKER_HOST names.
  docker: `#!/bin/sh\n[ "$1" = info ] && [ -f "$STATE/up-$(printf %s "$DOCKER_HOST" | tr -c a-z0-9 _)" ]\n`,
  // Like dockerd, it handles SIGINT (and so un-ignores it) by stopping. Each adds its pid to
  // pids, for the clean-up; the machine's engine also writes it to pid.
  dockerd: `#!/usr/bin/env node
const fs = require('node:fs');
process.on('SIGINT', () => process.exit(130));
const socket = process.argv[process.argv.indexOf('-H') + 1];
fs.appendFileSync(process.env.STATE + '/pids', process.pid + '\\n');
if (socket === 'unix:///var/run/docker.sock') fs.writeFileSync(process.env.STATE + '/pid', String(process.pid));
fs.writeFileSync(process.env.STATE + '/up-' + socket.replace(/[^a-z0-9]/g, '_'), '');
setInterval(() => {}, 1000);
`,
  systemctl: `#!/bin/sh
case "$1" in
  is-system-running) echo "$SYSTEMD_STATE"; [ "$SYSTEMD_STATE" = running ];;
  start) echo "$*" > "$STATE/systemctl"; touch "$STATE/up-unix____var_run_docker_sock";;
esac
`,
  // The bridge and firewall steps of Drydock's own engine: recorded, never run on this machine.
  ip: `#!/bin/sh\necho "ip $*" >> "$STATE/network"\n[ "$1" = -4 ] && echo "1: drydock0 inet 10.214.0.1/24"\nexit 0\n`,
  iptables: `#!/bin/sh\necho "iptables $*" >> "$STATE/network"\nexit 0\n`,
};

/** Running, not merely a zombie waiting for whoever inherited it to reap it. */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

async function sessionAndGroup(pid: number): Promise<{ sid: number; pgid: number }> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'sid=,pgid=', '-p', String(pid)]);
  const [sid, pgid] = stdout.trim().split(/\s+/).map(Number);
  return { sid: sid!, pgid: pgid! };
}

describe('scripts/engine.sh', () => {
  let dir = '';
  let state = '';
  const states: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engine-sh-'));
    for (const [name, text] of Object.entries(STUBS)) {
      await writeFile(join(dir, name), text);
      await chmod(join(dir, name), 0o755);
    }
  });

  after(async () => {
    // Every stand-in engine the runs started, Drydock's included: none may outlive the test.
    for (const dir of states) {
      const pids = (await readFile(join(dir, 'pids'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
      for (const pid of pids) if (await alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the script the way a terminal runs a foreground job: in a process group (and session) of its own. */
  async function runScript(systemdState: string): Promise<{ scriptPid: number; output: string }> {
    state = await mkdtemp(join(dir, 'state-'));
    states.push(state);
    const child = spawn('bash', [SCRIPT], {
      detached: true,
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        STATE: state,
        SYSTEMD_STATE: systemdState,
        DRYDOCK_ENGINE_LOG: join(state, 'log'),
        // Not the machine's real engine's: the script waits while the process a pid file names runs.
        DRYDOCK_MACHINE_ENGINE_PIDFILE: join(state, 'pid'),
        DRYDOCK_ENGINE_OWN_LOG: join(state, 'own-log'),
        DRYDOCK_ENGINE_SOCKET: join(state, 'own.sock'),
        DRYDOCK_ENGINE_ROOT: join(state, 'own-root'),
        DRYDOCK_ENGINE_RUN: join(state, 'own-run'),
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, output);
    return { scriptPid: child.pid!, output };
  }

  test('without systemd, dockerd runs in a session of its own and outlives a Ctrl-C to the caller', async () => {
    const { scriptPid } = await runScript('offline');
    const pid = Number(await readFile(join(state, 'pid'), 'utf8'));
    const engine = await sessionAndGroup(pid);
    assert.notEqual(engine.pgid, scriptPid, "dockerd is not in the caller's process group");
    assert.notEqual(engine.sid, scriptPid, "dockerd is not in the caller's session");
    assert.equal(engine.sid, pid, 'dockerd leads its own session');

    // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
    try {
      process.kill(-scriptPid, 'SIGINT');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // the group is already empty: fine
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(await alive(pid), 'dockerd survived the Ctrl-C');
  });

  test('with systemd running the machine, the engine starts as its service', async () => {
    const { output } = await runScript('running');
    assert.equal((await readFile(join(state, 'systemctl'), 'utf8')).trim(), 'start docker');
    assert.equal(await readFile(join(state, 'pid'), 'utf8').catch(() => 'none'), 'none', 'no dockerd of its own');
    assert.match(output, /Docker engine is ready/);
  });
});
