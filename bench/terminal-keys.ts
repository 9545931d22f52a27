/**
 * Child process of `npm run bench:terminal`: a program playing the browser over the session
 * socket, in its own process as a browser is. Prints one JSON line with its samples.
 *   node --import tsx bench/terminal-keys.ts URL SESSION TOKEN KEYS CTRL_C_ROUNDS
 *
 * Echo: open-loop, one key every 50 ms on a fixed schedule (no waiting for the echo, so a slow
 * echo cannot hide later ones), time from send to the echoed byte. Ctrl-C: `yes` floods a fast
 * consumer, then Ctrl-C; time until the shell marks the command finished (the prompt follows).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NodeSessionClient } from '../server/ws/node-session-client.ts';

const [url, sessionId, token, keysArg, roundsArg] = process.argv.slice(2);
const KEYS = Number(keysArg);
const ROUNDS = Number(roundsArg);
const INTERVAL_MS = 50;
/** Letters absent from the prompt (root@node1:~#) and from escape sequences' final bytes, so an echo is unambiguous. */
const ALPHABET = 'abfghijlpqsuvwxyz';
/** Clear the line every this many keys, so readline never wraps or scrolls. */
const LINE_KEYS = 40;

const client = await NodeSessionClient.connect(url!, sessionId!, token!, { keepOutput: false });
const host = await new Promise<string>((resolve) => {
  const wait = () => (client.of('attached')[0] ? resolve(client.of('attached')[0]!.host) : setTimeout(wait, 10));
  wait();
});
await sleep(500);

const echo: number[] = [];
let pending: { key: number; sentAt: number }[] = [];
let ignoring = false;
client.onOutput = (_, data) => {
  const now = performance.now();
  if (ignoring) return;
  for (const byte of data) {
    if (pending[0]?.key === byte) echo.push(now - pending.shift()!.sentAt);
  }
};

const start = performance.now() + 100;
for (let i = 0; i < KEYS + Math.floor(KEYS / LINE_KEYS); i++) {
  const due = start + i * INTERVAL_MS;
  const wait = due - performance.now();
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
client.onOutput = undefined;
await sleep(200);

const ctrlC: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const finished = client.of('commandFinished').length;
  client.input(host, 'yes drydock-ctrl-c-bench\r');
  await sleep(400);
  const sentAt = performance.now();
  client.input(host, '\x03');
  await client.waitFor(() => client.of('commandFinished').length > finished, 'the prompt after Ctrl-C', 5_000);
  ctrlC.push(performance.now() - sentAt);
  await sleep(200);
}

console.log(JSON.stringify({ echo, ctrlC, unmatched: pending.length }));
await client.close();
