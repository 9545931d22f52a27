/**
 * Output into a real Chromium xterm.js: throughput, byte-exact, with the server's memory (this
 * process hosts the server) and the browser's unparsed backlog; then Ctrl-C during `yes` as the
 * browser sees it. An init script wraps the page's WebSocket to count output bytes, acknowledged
 * (parsed) bytes, and where each "command finished" mark (OSC 133;D) arrives.
 */
import type { TestServer } from '../server/test-support/test-server.ts';
import { sh } from '../server/test-support/sandbox.ts';
import { CdpPage } from './cdp-page.ts';

export interface FloodResult {
  renderer: string;
  bytes: number;
  expectedBytes: number;
  mbPerSecond: number;
  /** The server's RSS after GC when the flood starts, when it ends, and the most in between. */
  serverRssMiB: { start: number; end: number; max: number };
  browserMaxBacklogKiB: number;
  ctrlC: number[];
  ctrlCBacklogKiB: number[];
}

const LINE = 'drwxr-xr-x  2 root root  4096 Nov 26 11:42 /usr/share/doc/some-package/changelog.Debian.gz';

/** Plain JavaScript for the page (not compiled TypeScript: no helpers may leak in). */
const INSTRUMENT = `
(() => {
  const stats = { received: 0, acked: 0, maxBacklog: 0, marks: [], ctrlCAt: 0 };
  window.benchStats = stats;
  window.addEventListener('keydown', (e) => { if (e.ctrlKey && e.key === 'c') stats.ctrlCAt = performance.now(); }, true);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const bytes = new Uint8Array(event.data, 1);
        for (let i = bytes.indexOf(0x1b); i >= 0; i = bytes.indexOf(0x1b, i + 1)) {
          if (bytes[i + 1] === 0x5d && bytes[i + 2] === 0x31 && bytes[i + 3] === 0x33 && bytes[i + 4] === 0x33 && bytes[i + 6] === 0x44) {
            stats.marks.push({ at: performance.now(), offset: stats.received + i, backlog: stats.received + bytes.length - stats.acked });
          }
        }
        stats.received += bytes.length;
        stats.maxBacklog = Math.max(stats.maxBacklog, stats.received - stats.acked);
      });
    }
    send(data) {
      if (typeof data === 'string' && data.startsWith('{"type":"ack"')) stats.acked += JSON.parse(data).bytes;
      super.send(data);
    }
  };
})();`;

interface Stats {
  received: number;
  acked: number;
  maxBacklog: number;
  marks: { at: number; offset: number; backlog: number }[];
  ctrlCAt: number;
}

const stats = (page: CdpPage) => page.evaluate<Stats>('window.benchStats');

/** Runs a command and returns how many output bytes came before its "finished" mark, and when that arrived. */
async function run(page: CdpPage, command: string): Promise<{ bytes: number; ms: number }> {
  const before = await stats(page);
  const started = await page.evaluate<number>('performance.now()');
  await page.typeLine(command);
  for (;;) {
    const now = await stats(page);
    const mark = now.marks[before.marks.length];
    if (mark) return { bytes: mark.offset - before.received, ms: mark.at - started };
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function browserFlood(
  app: TestServer,
  session: { id: string; token: string; labId: string },
  options: { floodBytes: number; ctrlCRounds: number; renderer: 'webgl' | 'dom' },
): Promise<FloodResult> {
  const { floodBytes, ctrlCRounds } = options;
  const host = app.sessions.authorize(session.id, session.token).hosts.hosts[0]!;
  await sh(host, `yes '${LINE}' | head -c ${floodBytes} > /root/flood.txt && : > /root/empty.txt`);
  const stored = JSON.stringify({ [session.labId]: { id: session.id, token: session.token } });
  const page = await CdpPage.open(
    `${app.url}/?renderer=${options.renderer}#/labs/${session.labId}`,
    `${INSTRUMENT}\nlocalStorage.setItem('drydock.sessions', ${JSON.stringify(stored)});`,
  );
  try {
    await page.waitFor(`!!document.querySelector('.host-terminal.is-active[data-renderer]')`);
    await page.evaluate(`document.querySelector('.host-terminal.is-active textarea').focus()`);
    await new Promise((r) => setTimeout(r, 1000));

    // The same command with an empty file measures what surrounds the output (echo, modes).
    const overhead = (await run(page, 'cat /root/empty.txt')).bytes;
    // A first, smaller flood lets V8 grow its young generation for the allocation rate; that
    // happens once per server, not per terminal, and would otherwise count as growth here.
    await run(page, 'head -c 20000000 /root/flood.txt');
    // What the flood keeps alive in the server: RSS right after a full GC, twice a second. (Live
    // heap + external is no better a measure: freed buffers leave `external` only when swept.)
    const sample = () => {
      global.gc?.();
      return process.memoryUsage().rss;
    };
    const rss = [sample()];
    const sampler = setInterval(() => rss.push(sample()), 500);
    const flood = await run(page, 'cat /root/flood.txt');
    clearInterval(sampler);
    rss.push(sample());
    const bytes = flood.bytes - overhead;
    const after = await stats(page);

    const ctrlC: number[] = [];
    const ctrlCBacklogKiB: number[] = [];
    for (let i = 0; i < ctrlCRounds; i++) {
      await page.typeLine('yes drydock-ctrl-c');
      await new Promise((r) => setTimeout(r, 500));
      const marks = (await stats(page)).marks.length;
      await page.ctrlC();
      for (;;) {
        const now = await stats(page);
        const mark = now.marks[marks];
        if (mark) {
          ctrlC.push(mark.at - now.ctrlCAt);
          ctrlCBacklogKiB.push(Math.round(mark.backlog / 1024));
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    return {
      renderer: await page.evaluate<string>(`document.querySelector('.host-terminal.is-active').dataset.renderer`),
      bytes,
      // The TTY turns each \n into \r\n.
      expectedBytes: floodBytes + Math.floor(floodBytes / (LINE.length + 1)),
      mbPerSecond: bytes / 1e6 / (flood.ms / 1000),
      serverRssMiB: { start: rss[0]! / 1048576, end: rss.at(-1)! / 1048576, max: Math.max(...rss) / 1048576 },
      browserMaxBacklogKiB: Math.round(after.maxBacklog / 1024),
      ctrlC,
      ctrlCBacklogKiB,
    };
  } finally {
    await page.close();
  }
}
