/**
 * The cost of readable logs (issue 12 item 8): log lines per second through the server's logger
 * setup, JSON (pino's own destination) against the readable formatter (server/logging/pretty.ts),
 * both written synchronously to /dev/null so only the formatting differs.
 *   npx tsx bench/log-format.ts [-- --lines 200000]
 * A line like the server's busiest: a message and three fields; best of 5 rounds. Results go to stdout;
 * BENCHMARKS.md records them.
 */
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { prettyDestination } from '../server/logging/pretty.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '200000' } } });
const lines = Number(values.lines);
const options = { level: 'info', base: { service: 'drydock' } };
const sink = () => pino.destination({ dest: '/dev/null', sync: true });

const loggers: Record<string, () => Logger> = {
  json: () => pino(options, sink()),
  'pretty, no colour': () => pino(options, prettyDestination(sink(), false)),
  'pretty, colour': () => pino(options, prettyDestination(sink(), true)),
};

function linesPerSecond(log: Logger, n: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) log.info({ session: 'a1b2c3', host: 'node1', bytes: i }, 'terminal attached');
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

// Rounds alternate between the formats and the best round counts: on a shared machine the
// slow rounds measure the neighbours, not the formatter.
const best = new Map<string, number>();
const made = Object.entries(loggers).map(([name, make]) => [name, make()] as const);
for (const [, log] of made) linesPerSecond(log, Math.min(lines, 20_000)); // warm-up: JIT
for (let round = 0; round < 5; round++) {
  for (const [name, log] of made) best.set(name, Math.max(best.get(name) ?? 0, linesPerSecond(log, lines)));
}
for (const [name, rate] of best) {
  console.log(`${name.padEnd(18)} ${Math.round(rate).toLocaleString('en').padStart(9)} lines/s  ${(1e6 / rate).toFixed(2)} µs/line`);
}
