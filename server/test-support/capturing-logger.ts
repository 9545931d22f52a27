/** Test support, not used in production code: a logger whose JSON lines a test can read back. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../logging/logger.ts';

export function capturingLogger(): { log: Logger; lines: () => { msg: string; level: number; [key: string]: unknown }[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  return { log: pino({ level: 'info' }, sink), lines };
}
