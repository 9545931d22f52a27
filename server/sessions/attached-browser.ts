import type { ServerMessage } from '../../shared/protocol.ts';

/**
 * The browser attached to a session, as the session sees it: control messages and terminal
 * output. The WebSocket layer implements it; tests implement it with arrays.
 */
export interface AttachedBrowser {
  message(message: ServerMessage): void;
  /** Output of the terminal of the host at this index of the session's host list, as a list of chunks. */
  output(hostIndex: number, chunks: readonly Buffer[]): void;
}
