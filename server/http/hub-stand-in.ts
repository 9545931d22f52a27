import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenBuckets } from '../webhooks/token-bucket.ts';
import type { Logger } from '../logging/logger.ts';
import { answerHub, registryError, type HubAnswer, type HubState } from '../sandbox/hub/hub-answer.ts';
import type { HubCertificate } from '../sandbox/hub/hub-certificate.ts';
import { listenForHosts, senderOf } from './listen-for-hosts.ts';

/** A pull of a missing image is two to four requests (ping, manifest); a learner retries by hand. */
export const HUB_BURST = 30;
export const HUB_PER_SECOND = 5;
/** A registry path is a name, a kind and a reference: far below this. */
const MAX_URL = 2048;
const MAX_CONNECTIONS = 256;

export interface HubStandInOptions {
  port: number;
  certificate: HubCertificate;
  /** The mirror's images and upstream, read when a message needs them. */
  state(): Promise<HubState>;
  /** Whether a request's sender is a lab host of a running session (no one else is answered). */
  isLabHost(address: string): boolean;
  log: Logger;
  rate?: { burst: number; perSecond: number };
}

/**
 * The Docker Hub stand-in: lab hosts reach it as registry-1.docker.io (their /etc/hosts and a
 * DNAT rule send port 443 at their gateway to this port; they trust its certificate for those
 * names only). It holds no image and takes nothing: it answers reads with an error a learner can
 * act on (see answerHub), to lab hosts only, with small requests, at a bounded rate.
 */
export async function startHubStandIn(options: HubStandInOptions): Promise<Server & { port: number }> {
  const rate = options.rate ?? { burst: HUB_BURST, perSecond: HUB_PER_SECOND };
  const buckets = new TokenBuckets(rate.burst, rate.perSecond);
  const server = createServer(
    { key: options.certificate.keyPem, cert: options.certificate.certPem, maxHeaderSize: 8192, headersTimeout: 5000, requestTimeout: 10_000 },
    (req, res) =>
      void handle(req, res, options, buckets).catch((err) => {
        options.log.error({ err }, 'Docker Hub stand-in: could not answer');
        res.destroy();
      }),
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.keepAliveTimeout = 5000;
  return listenForHosts(server, options.port);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HubStandInOptions, buckets: TokenBuckets): Promise<void> {
  const sender = senderOf(req.socket);
  // Nothing here reads a body: one that comes anyway is not read, and its connection not reused.
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!options.isLabHost(sender)) return send(req, res, registryError(403, 'DENIED', `${sender} is not a lab host of a running session`), true);
  const wait = buckets.take(sender);
  if (wait > 0) {
    const seconds = Math.ceil(wait);
    return send(
      req,
      res,
      registryError(
        429,
        'TOOMANYREQUESTS',
        `too many requests for Docker Hub from ${sender} (at most ${buckets.describe()}); try again in ${seconds} s`,
        { 'retry-after': String(seconds) },
      ),
      true,
    );
  }
  if ((req.url ?? '').length > MAX_URL) return send(req, res, registryError(414, 'UNSUPPORTED', `request paths are at most ${MAX_URL} bytes`), true);
  const pathname = new URL(req.url ?? '/', 'https://registry-1.docker.io').pathname;
  const answer = answerHub(req.method ?? 'GET', pathname, /^basic /i.test(req.headers.authorization ?? ''), await options.state());
  send(req, res, answer, hasBody);
}

function send(req: IncomingMessage, res: ServerResponse, answer: HubAnswer, close: boolean): void {
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'docker-distribution-api-version': 'registry/2.0',
    ...(close ? { connection: 'close' } : {}),
    ...answer.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
