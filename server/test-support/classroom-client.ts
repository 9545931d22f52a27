/**
 * Test support, not used in production code: the classroom API as a browser uses it, over real
 * HTTP: a client that keeps its cookies (a learner's or an instructor's), the live class view's
 * event stream, and the read-only watch socket.
 */
import { WebSocket } from 'ws';
import type { ClassFeedEvent } from '../../shared/classroom.ts';
import { PROTOCOL, decodeOutputFrame, parseServerMessage, type ServerMessage } from '../../shared/protocol.ts';
import { ChangeSignal } from '../support/change-signal.ts';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, if it is JSON. */
  json: unknown;
}

/** One browser: its cookies go with every request, and the cookies the server sets are kept. */
export class CookieClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A request with this browser's cookies; `body` is sent as JSON unless it is a string. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookies.size > 0 ? { cookie: this.cookieHeader } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }
}

/** The live class view's event stream as EventSource would read it: each `data:` line's JSON, with when it arrived. */
export class ClassFeedReader {
  readonly events: { event: ClassFeedEvent; at: number }[] = [];
  private readonly changes = new ChangeSignal();

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(client: CookieClient, classId: string): Promise<ClassFeedReader> {
    const abort = new AbortController();
    const res = await fetch(`${client.baseUrl}/api/instructor/classes/${classId}/events`, {
      headers: { cookie: client.cookieHeader, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    const reader = new ClassFeedReader(res.status, abort);
    if (res.ok && res.body) void reader.read(res.body);
    return reader;
  }

  of<T extends ClassFeedEvent['type']>(type: T): Extract<ClassFeedEvent, { type: T }>[] {
    return this.events.map((e) => e.event).filter((e): e is Extract<ClassFeedEvent, { type: T }> => e.type === type);
  }

  /** Waits for an event that satisfies `match`; returns it with its arrival time. */
  async next(match: (event: ClassFeedEvent) => boolean, what: string, timeoutMs = 10_000): Promise<{ event: ClassFeedEvent; at: number }> {
    await this.changes.until(
      () => this.events.some((e) => match(e.event)),
      what,
      timeoutMs,
      250,
      () => `events: ${JSON.stringify(this.events.slice(-3))}`,
    );
    return this.events.find((e) => match(e.event))!;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        buffered += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data) this.events.push({ event: JSON.parse(data) as ClassFeedEvent, at: performance.now() });
          this.changes.changed();
        }
      }
    } catch {
      // Closed by close() (an abort) or by the server.
    }
  }
}

/** The instructor's read-only view of a learner's terminals. */
export class WatchClient {
  readonly messages: ServerMessage[] = [];
  private readonly output = new Map<number, Buffer[]>();
  private readonly changes = new ChangeSignal();
  closedWith: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        const { hostIndex, data: bytes } = decodeOutputFrame(data);
        this.output.set(hostIndex, [...(this.output.get(hostIndex) ?? []), Buffer.from(bytes)]);
      } else {
        const parsed = parseServerMessage(data.toString('utf8'));
        if (parsed.ok) this.messages.push(parsed.message);
      }
      this.changes.changed();
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.changes.changed();
    });
  }

  /** Opens the watch socket, or answers the refusal's status and body. */
  static open(
    baseUrl: string,
    path: string,
    options: { cookie?: string; origin?: string } = {},
  ): Promise<WatchClient | { status: number; body: string }> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, [PROTOCOL], {
      headers: options.cookie ? { cookie: options.cookie } : {},
      origin: options.origin,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WatchClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('error', reject);
    });
  }

  text(hostIndex = 0): string {
    return Buffer.concat(this.output.get(hostIndex) ?? []).toString('utf8');
  }

  until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return this.changes.until(ready, what, timeoutMs, 250, () => `watched so far:\n${this.text().slice(-1000)}`);
  }

  close(): void {
    this.ws.close();
  }
}
