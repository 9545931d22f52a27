import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './error-status.ts';

/**
 * Answers on a raw socket (a refused upgrade, a request node's parser refused) with a plain
 * HTTP error, and closes it.
 */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    // Ending only closes our half: a client that never closes its own would keep the socket forever.
    () => socket.destroy(),
  );
}
