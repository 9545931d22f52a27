/**
 * Child process of `npm run bench:load`: plays the browsers of a share of the sessions, in a
 * process of its own so that client work is not counted as the server's. Driven over IPC by
 * bench/load.ts (messages below); each session is started over HTTP and attached over its
 * WebSocket exactly as the browser does, and acknowledges output as it arrives (a browser whose
 * terminal parses instantly).
 *
 * Quiet sessions type a letter every keyIntervalMs (from a random phase, so 270 of them do not
 * type in step) and time its echo; flooding sessions run a command that writes without end
 * and count the bytes. A session is dropped when its socket closes without being asked, the
 * server says `ended`, or its terminal goes silent: an echo or a flood's output missing for
 * stallMs.
 */
import { NodeSessionClient, startLabSession } from '../server/verify/node-session-client.ts';

export type ToClient =
  | { type: 'config'; url: string; lab: string; keyIntervalMs: number; stallMs: number; floodCommand: string }
  | { type: 'open'; n: number; flood: boolean }
  /** Floods start, quiet sessions start typing. */
  | { type: 'load' }
  /** The measured window starts now: samples and byte counts from here. */
  | { type: 'window' }
  /** The window is over: stop, Ctrl-C the floods, report. */
  | { type: 'finish' }
  | { type: 'close' };

export type FromClient =
  | { type: 'opened'; n: number; startMs: number; promptMs: number }
  | { type: 'failed'; n: number; message: string }
  | { type: 'dropped'; n: number; reason: string }
  | { type: 'result'; result: ClientResult }
  | { type: 'closed' };

export interface ClientResult {
  /** Keystroke → echo, ms, keys sent within the window. */
  echo: number[];
  /** Keys sent in the window whose echo never came (a dropped session's last keys among them). */
  lostKeys: number;
  /** Bytes each flooding session received within the window. */
  floodBytes: number[];
  /** Ctrl-C → the command-finished mark, per flooding session. */
  ctrlC: number[];
  /** Flooding sessions whose Ctrl-C got no prompt back. */
  ctrlCMissing: number;
}

/** Letters absent from the prompt (root@node1:~#) and from escape sequences' final bytes, so an echo is unambiguous. */
const ALPHABET = 'abfghijlpqsuvwxyz';
/** Clear the line every this many keys, so readline never wraps. */
const LINE_KEYS = 40;

interface Session {
  n: number;
  flood: boolean;
  client: NodeSessionClient;
  host: string;
  dropped?: string;
  keys: number;
  pending: { key: number; sentAt: number }[];
  ignoring: boolean;
  bytes: number;
  lastByteAt: number;
  timer?: NodeJS.Timeout;
}

let config: Extract<ToClient, { type: 'config' }>;
const sessions: Session[] = [];
let closing = false;
let loading = false;
let windowStart = Infinity;
let windowEnd = Infinity;
const echo: number[] = [];
let lostKeys = 0;
const floodBytesAtWindow = new Map<Session, number>();

const send = (message: FromClient) => void (process.connected && process.send!(message));

function drop(s: Session, reason: string): void {
  if (s.dropped || closing) return;
  s.dropped = reason;
  clearTimeout(s.timer);
  send({ type: 'dropped', n: s.n, reason });
}

async function open(n: number, flood: boolean): Promise<void> {
  const started = performance.now();
  const body = await startLabSession(config.url, config.lab);
  const startMs = performance.now() - started;
  // Output is kept until the prompt shows (the replay of it can arrive with the handshake,
  // before any handler of ours is set), then only counted: the client reads the option per frame.
  const options = { keepOutput: true };
  const client = await NodeSessionClient.connect(config.url, body.session.id, body.token, options);
  const s: Session = { n, flood, client, host: '', keys: 0, pending: [], ignoring: false, bytes: 0, lastByteAt: performance.now() };
  client.onMessage = (m) => {
    if (m.type === 'attached') s.host = m.host;
    if (m.type === 'ended') drop(s, `the server ended it (${m.reason})`);
  };
  client.ws.on('close', (code, reason) => drop(s, `socket closed (${code} ${reason.toString()})`));
  try {
    await client.waitFor(() => client.text(0).includes('root@'), 'the prompt', 30_000);
    s.host = client.of('attached')[0]!.host;
  } catch (err) {
    s.dropped = 'no prompt';
    await client.close();
    throw err;
  }
  options.keepOutput = false;
  const promptMs = performance.now() - started;
  client.onOutput = (_, data) => received(s, data);
  sessions.push(s);
  send({ type: 'opened', n, startMs, promptMs });
}

function received(s: Session, data: Buffer): void {
  const now = performance.now();
  s.bytes += data.length;
  s.lastByteAt = now;
  if (s.flood || s.ignoring) return;
  for (const byte of data) {
    if (s.pending[0]?.key !== byte) continue;
    const { sentAt } = s.pending.shift()!;
    if (sentAt >= windowStart && sentAt < windowEnd) echo.push(now - sentAt);
  }
}

function type(s: Session): void {
  if (s.dropped || !loading) return;
  const now = performance.now();
  if (s.pending[0] && now - s.pending[0].sentAt > config.stallMs) return drop(s, `no echo for ${Math.round(now - s.pending[0].sentAt)} ms`);
  if (s.keys > 0 && s.keys % LINE_KEYS === 0 && s.pending.length === 0) {
    s.ignoring = true; // Ctrl-U redraws the prompt; its letters are not echoes
    s.client.input(s.host, '\x15');
  } else {
    s.ignoring = false;
    const key = ALPHABET.charCodeAt(s.keys % ALPHABET.length);
    s.pending.push({ key, sentAt: now });
    s.client.input(s.host, String.fromCharCode(key));
  }
  s.keys++;
  s.timer = setTimeout(() => type(s), config.keyIntervalMs);
}

function watchFloods(): void {
  const now = performance.now();
  for (const s of sessions) {
    if (s.flood && loading && now - s.lastByteAt > config.stallMs) drop(s, `flood output stopped for ${Math.round(now - s.lastByteAt)} ms`);
  }
}

async function finish(): Promise<ClientResult> {
  windowEnd = performance.now();
  loading = false;
  const floodBytes: number[] = [];
  for (const s of sessions) {
    clearTimeout(s.timer);
    if (s.flood) floodBytes.push(s.bytes - (floodBytesAtWindow.get(s) ?? s.bytes));
  }
  // Floods: Ctrl-C, and the prompt must come back. Quiet: the last keys' echoes may still be on their way.
  const ctrlC: number[] = [];
  let ctrlCMissing = 0;
  await Promise.all(
    sessions.map(async (s) => {
      if (s.dropped) return;
      if (s.flood) {
        const finished = s.client.of('commandFinished').length;
        const sentAt = performance.now();
        s.client.input(s.host, '\x03');
        try {
          await s.client.waitFor(() => s.client.of('commandFinished').length > finished, 'the prompt after Ctrl-C', 15_000);
          ctrlC.push(performance.now() - sentAt);
        } catch {
          ctrlCMissing++;
        }
      } else {
        const until = performance.now() + config.stallMs;
        while (s.pending.length > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  for (const s of sessions) lostKeys += s.pending.filter((p) => p.sentAt >= windowStart && p.sentAt < windowEnd).length;
  return { echo, lostKeys, floodBytes, ctrlC, ctrlCMissing };
}

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'config':
      config = message;
      break;
    case 'open':
      open(message.n, message.flood).catch((err: Error) => send({ type: 'failed', n: message.n, message: err.message }));
      break;
    case 'load': {
      loading = true;
      for (const s of sessions) {
        if (s.dropped) continue;
        s.lastByteAt = performance.now();
        if (s.flood) s.client.input(s.host, config.floodCommand + '\r');
        else s.timer = setTimeout(() => type(s), Math.random() * config.keyIntervalMs);
      }
      setInterval(watchFloods, 1000).unref();
      break;
    }
    case 'window':
      windowStart = performance.now();
      for (const s of sessions) if (s.flood) floodBytesAtWindow.set(s, s.bytes);
      break;
    case 'finish':
      void finish().then((result) => send({ type: 'result', result }));
      break;
    case 'close':
      closing = true;
      void Promise.all(sessions.map((s) => s.client.close())).then(() => {
        send({ type: 'closed' });
        process.disconnect();
      });
      break;
  }
});
// Ctrl-C reaches the whole process group: the parent cleans up; this process just ends.
process.on('SIGINT', () => process.exit(130));
process.on('disconnect', () => process.exit(0));
