import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DrydockErrorCode } from '../errors/drydock-error.ts';
import { statusOf } from '../errors/error-status.ts';
import type { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import { MAX_ENVELOPE_BYTES, parseEnvelope } from '../webhooks/registry-event.ts';
import { TokenBuckets } from '../webhooks/token-bucket.ts';
import type { Logger } from '../logging/logger.ts';
import { listenForHosts, senderOf } from './listen-for-hosts.ts';

/**
 * Requests one host may post at once, then per second. A `docker push` sends one request per
 * layer plus one for the manifest, in a burst; a registry retrying a failed delivery waits a
 * second between tries. Both fit well inside this.
 */
export const HOST_BURST = 60;
export const HOST_PER_SECOND = 10;

export interface HooksListenerOptions {
  port: number;
  inbox: WebhookInbox;
  /** The session whose host has this address, if any: events are attributed by sender. */
  sessionForAddress(address: string): string | undefined;
  log: Logger;
  /** Requests per sender; tests pass their own to reach the limit quickly. */
  rate?: { burst: number; perSecond: number };
}

/**
 * The webhook receiver lab hosts reach as drydock-hooks: it takes registry notifications
 * (POST, JSON) from session hosts only, and files them under the sender's session. It listens on
 * every address because each session reaches it at its own network's gateway; the firewall
 * lets hosts reach this port and no other.
 */
export async function startWebhookReceiver(options: HooksListenerOptions): Promise<Server & { port: number }> {
  const rate = options.rate ?? { burst: HOST_BURST, perSecond: HOST_PER_SECOND };
  const buckets = new TokenBuckets(rate.burst, rate.perSecond);
  const server = createServer((req, res) => void handle(req, res, options, buckets));
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return listenForHosts(server, options.port);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HooksListenerOptions, buckets: TokenBuckets): Promise<void> {
  const sender = senderOf(req.socket);
  const session = options.sessionForAddress(sender);
  if (!session) return reply(res, 'DD_HOOKS_SENDER_UNKNOWN', `${sender} is not a lab host of a running session`);
  if (req.method !== 'POST') return reply(res, 'DD_BAD_REQUEST', 'send registry notifications with POST', { allow: 'POST' }, 405);
  // Counted before the body is read, so a refused flood costs no more than its headers.
  const wait = buckets.take(sender);
  if (wait > 0) {
    const seconds = Math.ceil(wait);
    return reply(res, 'DD_HOOKS_RATE_LIMITED', `${sender} sends notifications too fast (at most ${buckets.describe()}); try again in ${seconds} s`, {
      'retry-after': String(seconds),
    });
  }
  const tooLarge = `a notification may be at most ${MAX_ENVELOPE_BYTES} bytes; a registry sends about 1 KB per event`;
  if (Number(req.headers['content-length'] ?? 0) > MAX_ENVELOPE_BYTES) return reply(res, 'DD_PROTOCOL_TOO_LARGE', tooLarge);
  let size = 0;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_ENVELOPE_BYTES) return reply(res, 'DD_PROTOCOL_TOO_LARGE', tooLarge);
      chunks.push(chunk as Buffer);
    }
  } catch {
    return; // the sender went away mid-body: nothing to answer
  }
  const parsed = parseEnvelope(Buffer.concat(chunks).toString('utf8'));
  if (!parsed.ok) return reply(res, 'DD_BAD_REQUEST', parsed.reason);
  const recorded = options.inbox.record(session, parsed.events);
  if (!recorded.accepted) {
    options.log.warn({ session, sender }, 'registry notification refused: the inbox is full');
    return reply(res, 'DD_HOOKS_INBOX_FULL', recorded.reason, { 'retry-after': '60' });
  }
  options.log.info({ session, events: parsed.events.length, sender }, 'registry notification received');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: `${parsed.events.length} event(s) received` }));
}

/** A refusal the sender's log can act on: the status its code maps to, a JSON reason, the code. */
function reply(res: ServerResponse, code: DrydockErrorCode, message: string, headers: Record<string, string> = {}, status = statusOf(code)): void {
  if (res.headersSent) return;
  // Past these the rest of the body is not wanted: closing saves reading (and paying for) it.
  const close = status === 413 || status === 429;
  res.writeHead(status, { 'content-type': 'application/json', connection: close ? 'close' : 'keep-alive', ...headers });
  res.end(JSON.stringify({ error: message, code }));
}
