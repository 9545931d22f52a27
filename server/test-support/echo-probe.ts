/**
 * Keystroke → echo latency of a terminal, measured the way a learner feels it: open loop, one key
 * every `intervalMs` on a fixed schedule (not waiting for each echo, so one slow echo cannot hide
 * the next), from sending the key to its byte coming back. Used by the terminal bench and the
 * noisy-neighbour test. Not used in production code.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeSessionClient } from '../verify/node-session-client.ts';

/** Letters absent from the prompt (root@node1:~#) and from escape sequences' final bytes, so an echo is unambiguous. */
const ALPHABET = 'abfghijlpqsuvwxyz';
/** Clear the line every this many keys, so readline never wraps or scrolls. */
const LINE_KEYS = 40;

export interface EchoSamples {
  /** Milliseconds from send to echo, one per key that came back. */
  echo: number[];
  /** Keys whose echo never came. */
  unmatched: number;
}

export async function measureEcho(client: NodeSessionClient, host: string, options: { keys: number; intervalMs?: number }): Promise<EchoSamples> {
  const interval = options.intervalMs ?? 50;
  const echo: number[] = [];
  let pending: { key: number; sentAt: number }[] = [];
  let ignoring = false;
  const previous = client.onOutput;
  client.onOutput = (_, data) => {
    const now = performance.now();
    if (ignoring) return;
    for (const byte of data) {
      if (pending[0]?.key === byte) echo.push(now - pending.shift()!.sentAt);
    }
  };
  try {
    const start = performance.now() + 100;
    for (let i = 0; i < options.keys + Math.floor(options.keys / LINE_KEYS); i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      if (i % (LINE_KEYS + 1) === LINE_KEYS) {
        ignoring = true; // Ctrl-U redraws the prompt; its letters are not echoes
        pending = [];
        client.input(host, '\x15');
        continue;
      }
      ignoring = false;
      const key = ALPHABET.charCodeAt(i % ALPHABET.length);
      pending.push({ key, sentAt: performance.now() });
      client.input(host, String.fromCharCode(key));
    }
    await sleep(200);
    client.input(host, '\x15');
    await sleep(200);
    return { echo, unmatched: pending.length };
  } finally {
    client.onOutput = previous;
  }
}
