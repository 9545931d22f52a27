import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HookInbox } from '../hooks/hook-inbox.ts';
import { parseEnvelope } from '../hooks/registry-event.ts';
import type { Logger } from '../logging/logger.ts';

/** Registries send one event batch per request; far below this. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HooksListenerOptions {
  port: number;
  inbox: HookInbox;
  /** The session whose host has this address, if any: events are attributed by sender. */
  sessionForAddress(address: string): string | undefined;
  log: Logger;
}

/**
 * The webhook receiver lab hosts reach as drydock-hooks: it takes registry notifications
 * (POST, JSON) from session hosts only, and files them under the sender's session. It listens on
 * every address because each session reaches it at its own network's gateway; the firewall
 * lets hosts reach this port and no other.
 */
export async function startHooksListener(options: HooksListenerOptions): Promise<Server & { port: number }> {
  const server = createServer((req, res) => void handle(req, res, options));
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', resolve);
  });
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HooksListenerOptions): Promise<void> {
  const sender = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const session = options.sessionForAddress(sender);
  if (!session) return reply(res, 403, `${sender} is not a lab host of a running session`);
  if (req.method !== 'POST') return reply(res, 405, 'send registry notifications with POST');
  let size = 0;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return reply(res, 413, `a notification may be at most ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch {
    return; // the sender went away mid-body: nothing to answer
  }
  const parsed = parseEnvelope(Buffer.concat(chunks).toString('utf8'));
  if (!parsed.ok) return reply(res, 400, parsed.reason);
  options.inbox.record(session, parsed.events);
  options.log.info({ session, events: parsed.events.length, sender }, 'registry notification received');
  reply(res, 200, `${parsed.events.length} event(s) received`);
}

function reply(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', connection: status === 413 ? 'close' : 'keep-alive' });
  res.end(JSON.stringify(status === 200 ? { message } : { error: message }));
}
