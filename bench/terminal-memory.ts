/**
 * Server memory per open terminal, the way sessions hold them (HostTerminals over exec attach),
 * in this process, after gc(). Terminals are opened into a few hosts: a terminal's cost on the
 * server does not depend on which host its shell runs in. Also counts processes per terminal.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { HostTerminals } from '../server/sessions/host-terminals.ts';
import type { TerminalViewer } from '../server/sessions/host-terminals.ts';
import { sh, startTestSandbox, testConfig } from '../server/test-support/sandbox.ts';

export interface TerminalMemory {
  terminals: number;
  idleKiB: number;
  fullReplayKiB: number;
  attachedKiB: number;
  serverProcessesPerTerminal: number;
  shellsPerTerminal: number;
  engineKiB: number;
}

function settle(): number {
  for (let i = 0; i < 3; i++) global.gc?.();
  return process.memoryUsage().rss;
}

async function engineRss(): Promise<number> {
  const pids = (await readFile('/var/run/docker.pid', 'utf8').catch(() => '')).trim();
  if (!pids) return NaN;
  const status = await readFile(`/proc/${pids}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) * 1024;
}

export async function measureTerminalMemory(count: number, replayBytes: number): Promise<TerminalMemory> {
  if (!global.gc) throw new Error('run with --expose-gc');
  const config = testConfig();
  const sandbox = await startTestSandbox(config);
  try {
    const session = await sandbox.createHostGroup({ hostNames: ['node1', 'node2', 'node3'] });
    const shells = async () => Number(await sh(session.hosts[0]!, 'pgrep -c -x bash || true'));
    const children = async () =>
      (await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean).length;
    const shellsBefore = await shells();
    const childrenBefore = await children();
    // A first set warms up code paths and pools, so the measured ones pay only their own way.
    const warm = await HostTerminals.open(session.hosts, replayBytes);
    await sleep(1000);
    const engineBefore = await engineRss();
    const before = settle();
    let finished = 0;
    const sets: HostTerminals[] = [];
    for (let i = 0; i < Math.ceil(count / session.hosts.length); i++) {
      const set = await HostTerminals.open(session.hosts, replayBytes);
      set.onCommandFinished(() => finished++);
      sets.push(set);
    }
    const terminals = sets.length * session.hosts.length;
    await sleep(2000);
    const idle = settle();
    const engineAfter = await engineRss();
    const shellsAfter = await shells();
    const childrenAfter = await children();

    // 170 KB of output each, more than the replay buffer keeps; wait until every command is done.
    const finishedBefore = finished;
    for (const set of sets) for (const host of session.hosts) set.get(host.name).input('seq 1 30000\r');
    for (let i = 0; i < 600 && finished < finishedBefore + terminals; i++) await sleep(100);
    if (finished < finishedBefore + terminals) throw new Error(`only ${finished - finishedBefore} of ${terminals} terminals finished their output`);
    const full = settle();

    // A browser attached to each: flow control, batching and a socket's worth of state.
    const viewer: TerminalViewer = { attached() {}, output() {}, exited() {} };
    for (const set of sets) set.view(viewer);
    await sleep(1000);
    const attached = settle();

    for (const set of [warm, ...sets]) set.close();
    await session.dispose();
    const kib = (bytes: number) => Math.round(bytes / terminals / 1024);
    return {
      terminals,
      idleKiB: kib(idle - before),
      fullReplayKiB: kib(full - before),
      attachedKiB: kib(attached - before),
      serverProcessesPerTerminal: (childrenAfter - childrenBefore) / terminals,
      shellsPerTerminal: (shellsAfter - shellsBefore) / (sets.length + 1),
      engineKiB: kib(engineAfter - engineBefore),
    };
  } finally {
    await sandbox.close();
  }
}
