import type { Readable } from 'node:stream';

/** The status line and headers of an HTTP answer read off a raw socket, and the bytes after them. */
export interface AnswerHead {
  statusLine: string;
  /** name, value, name, value… like `IncomingMessage.rawHeaders`. */
  raw: string[];
  rest: Buffer;
}

/** Heads larger than this are refused: the server's own limit for request heads is 16 KiB too. */
export const MAX_HEAD_BYTES = 16 * 1024;

export class AnswerHeadError extends Error {
  override readonly name = 'AnswerHeadError';
}

/**
 * Parses `HTTP/1.1 101 …\r\nName: value\r\n…\r\n\r\n` at the start of `bytes`; undefined while
 * the blank line has not arrived. Folded lines (obsolete) and lines without a colon are refused,
 * so what is forwarded is exactly what was checked.
 */
export function parseAnswerHead(bytes: Buffer): AnswerHead | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) {
    if (bytes.length > MAX_HEAD_BYTES) throw new AnswerHeadError(`the service's answer head is over ${MAX_HEAD_BYTES} bytes`);
    return undefined;
  }
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  if (!/^HTTP\/1\.[01] \d{3}( |$)/.test(statusLine)) throw new AnswerHeadError('the service did not answer with HTTP/1.x');
  const raw: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /^[ \t]/.test(line)) throw new AnswerHeadError('the service sent a malformed header line');
    raw.push(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return { statusLine, raw, rest: bytes.subarray(end + 4) };
}

export function serializeAnswerHead(statusLine: string, headers: readonly (readonly [string, string])[]): string {
  return [statusLine, ...headers.map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
}

/** Reads from `source` until a whole answer head has arrived; the bytes after it come back in `rest`. */
export function readAnswerHead(source: Readable): Promise<AnswerHead> {
  return new Promise((resolve, reject) => {
    let bytes = Buffer.alloc(0);
    const done = () => {
      source.off('data', onData);
      source.off('end', onEnd);
    };
    const onData = (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      try {
        const head = parseAnswerHead(bytes);
        if (!head) return;
        done();
        source.pause();
        resolve(head);
      } catch (err) {
        done();
        reject(err);
      }
    };
    const onEnd = () => {
      done();
      reject(new AnswerHeadError('the service closed the connection before its answer head was complete'));
    };
    source.on('data', onData);
    source.on('end', onEnd);
  });
}
