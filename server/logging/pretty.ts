/**
 * pino's JSON lines as lines a person reads: `12:04:31.250 INFO  message key=value`, coloured at
 * a terminal, an error's stack below it. Written synchronously in the logging call, like pino's
 * own JSON destination: pino-pretty as a transport would run in a worker thread, and as a
 * stream it would add a dependency for the same few lines (bench/log-format.ts measures the cost).
 */
const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '90' },
  20: { name: 'DEBUG', colour: '36' },
  30: { name: 'INFO ', colour: '32' },
  40: { name: 'WARN ', colour: '33' },
  50: { name: 'ERROR', colour: '31' },
  60: { name: 'FATAL', colour: '41;97' },
};
/** Fields every line has, shown in their own place or not at all. */
const OWN_PLACE = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err']);

export interface LineSink {
  write(text: string): unknown;
}

function clock(epochMs: number): string {
  const t = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, '0')}`;
}

function value(v: unknown): string {
  return typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
}

export function formatLine(json: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json; // not pino's: pass it on as it is
  }
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const level = LEVELS[entry.level as number] ?? { name: String(entry.level).padEnd(5), colour: '0' };
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const fields = Object.keys(entry)
    .filter((k) => !OWN_PLACE.has(k))
    .map((k) => `${paint('2', k + '=')}${value(entry[k])}`);
  const head = [paint('2', clock(Number(entry.time))), paint(level.colour, level.name), entry.msg ?? '', ...fields].filter((p) => p !== '').join(' ');
  const stack = err?.stack ? '\n' + paint('2', err.stack.replace(/^/gm, '    ')) : '';
  return `${head}${stack}\n`;
}

/** A pino destination that writes readable lines to `out` (colour: ANSI colours, for a terminal). */
export function prettyDestination(out: LineSink, colour: boolean): { write(json: string): void } {
  return { write: (json) => void out.write(formatLine(json, colour)) };
}
