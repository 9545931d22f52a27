/**
 * Test support, not used in production code: the worst a learner's browser tab can do with
 * keystrokes. A child process (so its busy loop is not the server's event loop) sends
 * `{"type":"input","host":"node1","data":"a"}` to a session socket in a tight loop, pausing only
 * while the socket holds more than 4 MB unsent, and reconnects when the server closes it, until
 * the time is up. Used by the input-flood test and `npm run bench:input-flood`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setImmediate as yieldLoop, setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../shared/protocol.ts';

const PAUSE_ABOVE_BYTES = 4_000_000;
const SEND_BATCH = 1024;

export interface FloodReport {
  /** Messages handed to the socket, over all connections (up to PAUSE_ABOVE_BYTES of them may never leave this process). */
  sent: number;
  /** Connections tried, refused ones included. */
  connections: number;
  /** When each connection that the server accepted opened, in milliseconds since the flood began. */
  opens: number[];
  /** How each connection ended, with milliseconds since the flood began (its first socket open). */
  closes: { code: number; reason: string; atMs: number }[];
  /** Error codes the server sent. */
  errors: string[];
}

export interface FloodOptions {
  seconds: number;
  /** Connect again after the server closes the socket (at most this many connections; 1: never). */
  maxConnections: number;
}

/**
 * Starts the flood in a child process. `started` resolves when its socket is open and the loop
 * begins (the child's own start-up, compiling TypeScript, is over and not measured); `done` with
 * its report when the time is up.
 */
export function floodInput(
  baseUrl: string,
  sessionId: string,
  token: string,
  options: FloodOptions,
): { started: Promise<void>; done: Promise<FloodReport> } {
  const child = fork(fileURLToPath(import.meta.url), [baseUrl, sessionId, token, String(options.seconds), String(options.maxConnections)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the flooder exited with ${code} before reporting`))),
  );
  exited.catch(() => {});
  const started = new Promise<void>((resolve) => child.once('message', () => resolve()));
  const done = started.then(() => new Promise<FloodReport>((resolve) => child.once('message', (report) => resolve(report as FloodReport))));
  return { started: Promise.race([started, exited]), done: Promise.race([done, exited]) };
}

async function flood(baseUrl: string, sessionId: string, token: string, options: FloodOptions): Promise<FloodReport> {
  const report: FloodReport = { sent: 0, connections: 0, opens: [], closes: [], errors: [] };
  const message = JSON.stringify({ type: 'input', host: 'node1', data: 'a' });
  let start = Infinity;
  let end = Infinity;
  while (performance.now() < end && report.connections < options.maxConnections) {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/sessions/${sessionId}/ws`, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + token], {
      perMessageDeflate: false,
    });
    let open = false;
    ws.once('open', () => {
      open = true;
      if (start === Infinity) start = performance.now();
      report.opens.push(Math.round(performance.now() - start));
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const parsed = JSON.parse(data.toString()) as { type: string; code?: string };
        if (parsed.type === 'error') report.errors.push(parsed.code!);
      }
    });
    ws.on('close', (code, reason) => {
      open = false;
      report.closes.push({ code, reason: reason.toString(), atMs: Math.round(performance.now() - start) });
    });
    ws.on('error', () => (open = false));
    await new Promise((resolve) => ws.once('open', resolve).once('close', resolve));
    report.connections++;
    if (end === Infinity && open) {
      end = start + options.seconds * 1000;
      process.send!('started');
    }
    while (open && performance.now() < end) {
      // Node's socket fails a writev of ~65,000 queued chunks (ErrnoException in the profile), so
      // the loop lets the socket flush every SEND_BATCH messages; that costs the flood nothing.
      for (let i = 0; i < SEND_BATCH && open && ws.bufferedAmount <= PAUSE_ABOVE_BYTES; i++) {
        ws.send(message);
        report.sent++;
      }
      // Waiting on a full socket sleeps rather than spins: the flooder shares this machine's cores
      // with the server, and a spinning loop would be measured as the server's slowness.
      await (ws.bufferedAmount > PAUSE_ABOVE_BYTES ? sleep(1) : yieldLoop());
    }
    if (open) ws.terminate();
    await sleep(50);
  }
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [baseUrl, sessionId, token, seconds, maxConnections] = process.argv.slice(2);
  const report = await flood(baseUrl!, sessionId!, token!, { seconds: Number(seconds), maxConnections: Number(maxConnections) });
  process.send!(report, () => process.exit(0));
}
