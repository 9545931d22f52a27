/**
 * Child process of `npm run bench:terminal`: a program playing the browser over the session
 * socket, in its own process as a browser is. Prints one JSON line with its samples.
 *   node --import tsx bench/terminal-keys.ts URL SESSION TOKEN KEYS CTRL_C_ROUNDS
 *
 * Echo: see server/test-support/echo-probe.ts (open loop, a key every 50 ms). Ctrl-C: `yes` floods a fast
 * consumer, then Ctrl-C; time until the shell marks the command finished (the prompt follows).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { measureEcho } from '../server/test-support/echo-probe.ts';
import { NodeSessionClient } from '../server/verify/node-session-client.ts';

const [url, sessionId, token, keysArg, roundsArg] = process.argv.slice(2);
const KEYS = Number(keysArg);
const ROUNDS = Number(roundsArg);

const client = await NodeSessionClient.connect(url!, sessionId!, token!, { keepOutput: false });
const host = await new Promise<string>((resolve) => {
  const wait = () => (client.of('attached')[0] ? resolve(client.of('attached')[0]!.host) : setTimeout(wait, 10));
  wait();
});
await sleep(500);

const { echo, unmatched } = await measureEcho(client, host, { keys: KEYS, intervalMs: 50 });

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

console.log(JSON.stringify({ echo, ctrlC, unmatched }));
await client.close();
