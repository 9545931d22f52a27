/**
 * The terminal path, measured end to end on the real engine.
 *   npm run bench:terminal [-- --keys 600 --ctrl-c 20 --flood-mb 100 --terminals 300 --starts 10]
 *
 * This process hosts the real lab server (HTTP, session sockets, terminals), so its memory is
 * the server's; clients run elsewhere: the keystroke client in a child process, the flood in
 * Debian's Chromium. Targets (issue 3): echo p50 ≤ 1 ms, p99 ≤ 3 ms; ≥ 25 MB/s into xterm.js
 * with ≤ 2 MiB server growth per flooding terminal; Ctrl-C ≤ 250 ms p95; ≤ 1 MiB per open
 * terminal; first prompt ≤ 1.5 s p95 cold, ≤ 250 ms p99 from the warm pool.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startE2eServer } from '../e2e/lab-server.ts';
import { testOwner, type TestServer } from '../server/test-support/test-server.ts';
import { browserFlood } from './browser-flood.ts';
import { percentile } from './stats.ts';
import { startToPrompt } from './start-to-prompt.ts';
import { measureTerminalMemory } from './terminal-memory.ts';

const { values } = parseArgs({
  options: {
    keys: { type: 'string', default: '600' },
    'ctrl-c': { type: 'string', default: '20' },
    'flood-mb': { type: 'string', default: '100' },
    terminals: { type: 'string', default: '300' },
    starts: { type: 'string', default: '10' },
  },
});
const LAB = 'terminal-bench';
const LABS_DIR = fileURLToPath(new URL('./fixtures/labs/', import.meta.url));
const LIMITS = { limits: { perLearner: 10, perAddress: 60, total: 10 } };

const ms = (samples: readonly number[], digits = 2) =>
  `n=${samples.length} p50=${percentile(samples, 50).toFixed(digits)} p95=${percentile(samples, 95).toFixed(digits)} p99=${percentile(samples, 99).toFixed(digits)} max=${Math.max(...samples).toFixed(digits)} ms`;

/** Runs the keystroke client in its own process and returns its samples. */
function keystrokeClient(app: TestServer, id: string, token: string): Promise<{ echo: number[]; ctrlC: number[]; unmatched: number }> {
  const script = fileURLToPath(new URL('./terminal-keys.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, app.url, id, token, values.keys!, values['ctrl-c']!], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`keystroke client exited ${code}`)))),
  );
}

async function startSession(app: TestServer): Promise<{ id: string; token: string; labId: string }> {
  const { session, token } = await app.sessions.start(LAB, testOwner('bench'));
  return { id: session.id, token, labId: LAB };
}

console.log('Terminal path on this machine (server in this process, real engine, real lab hosts)\n');

{
  const app = await startE2eServer({ labsDir: LABS_DIR, policy: LIMITS, config: { poolSize: 0 } });
  try {
    const cold = await startToPrompt(app, LAB, Number(values.starts), async () => {});
    console.log(`start lab → first prompt byte, cold (no pool):  ${ms(cold, 0)}`);

    const session = await startSession(app);
    const keys = await keystrokeClient(app, session.id, session.token);
    console.log(`keystroke → echo, open loop every 50 ms:        ${ms(keys.echo)}  (${keys.unmatched} unmatched)`);
    console.log(`Ctrl-C during yes → prompt mark (fast client):  ${ms(keys.ctrlC, 1)}`);

    for (const renderer of ['webgl', 'dom'] as const) {
      const flood = await browserFlood(app, session, {
        floodBytes: Number(values['flood-mb']) * 1e6,
        ctrlCRounds: Number(values['ctrl-c']) / 2,
        renderer,
      });
      console.log(
        `output into Chromium xterm.js (${flood.renderer}):  ${flood.mbPerSecond.toFixed(1)} MB/s, ${flood.bytes} bytes ` +
          `(${flood.bytes === flood.expectedBytes ? 'byte-exact' : `EXPECTED ${flood.expectedBytes}`}); server RSS after GC ${flood.serverRssMiB.start.toFixed(1)} → ${flood.serverRssMiB.end.toFixed(1)} MiB (max +${(flood.serverRssMiB.max - flood.serverRssMiB.start).toFixed(1)}); ` +
          `browser backlog ≤ ${flood.browserMaxBacklogKiB} KiB`,
      );
      console.log(
        `Ctrl-C during yes → prompt mark in Chromium:    ${ms(flood.ctrlC, 1)}  (backlog then ≤ ${Math.max(...flood.ctrlCBacklogKiB)} KiB)`,
      );
    }
  } finally {
    await app.close();
  }
}

{
  const app = await startE2eServer({ labsDir: LABS_DIR, policy: LIMITS, config: { poolSize: 2 } });
  try {
    const warm = await startToPrompt(app, LAB, Number(values.starts), () => app.sandbox.poolFilled());
    console.log(`start lab → first prompt byte, warm pool:       ${ms(warm, 0)}`);
  } finally {
    await app.close();
  }
}

const memory = await measureTerminalMemory(Number(values.terminals), 64 * 1024);
console.log(
  `server memory per open terminal (${memory.terminals}, RSS after gc): idle ${memory.idleKiB} KiB, ` +
    `64 KiB replay buffer full ${memory.fullReplayKiB} KiB, browser attached ${memory.attachedKiB} KiB`,
);
console.log(
  `processes per terminal: ${memory.serverProcessesPerTerminal} on the server, ${memory.shellsPerTerminal} (bash) in the host; ` +
    `engine (dockerd) +${memory.engineKiB} KiB per exec attach`,
);
