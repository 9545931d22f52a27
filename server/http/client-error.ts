import type { Duplex } from 'node:stream';
import type { DrydockErrorCode } from '../errors/drydock-error.ts';
import { rejectUpgrade } from '../errors/reject-socket.ts';
import { statusOf } from '../errors/error-status.ts';

const REFUSALS: Record<string, [DrydockErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: ['DD_HEADERS_TOO_LARGE', 'the request line and headers may be at most 16 KiB together'],
  ERR_HTTP_REQUEST_TIMEOUT: ['DD_REQUEST_TIMEOUT', 'the request took too long to arrive; send it again'],
};

/**
 * Requests node's HTTP parser refuses before express sees them (a malformed request line, headers
 * over the limit, a client too slow to send its headers or body) get the same JSON error as every
 * other refusal, then the connection closes.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // As node's own handler: answer only if no response has started on this connection, or the
  // answer would land inside it.
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) return void socket.destroy();
  const [code, message] = REFUSALS[err.code ?? ''] ?? ['DD_BAD_REQUEST', 'the request is not valid HTTP/1.1'];
  rejectUpgrade(socket, statusOf(code), code, message);
}
