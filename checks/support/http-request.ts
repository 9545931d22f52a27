import http from 'node:http';
import https from 'node:https';
import type { PeerCertificate } from 'node:tls';

export interface HttpRequest {
  tls: boolean;
  /** Where to connect (an IP address on the session network). */
  address: string;
  port: number;
  method?: 'GET' | 'HEAD' | 'DELETE';
  path: string;
  headers?: http.OutgoingHttpHeaders;
  agent: http.Agent;
  timeoutMs: number;
  /** TLS only: SNI name and CA; without a CA the certificate is not verified. */
  servername?: string;
  ca?: string;
  checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Bodies larger than this are an error: no check needs more, and a bug must not eat memory. */
const MAX_BODY = 8 * 1024 * 1024;

/**
 * One request over a keep-alive agent, body collected. Transport failures reject with Node's
 * error (its `code` says what happened: ECONNREFUSED, ETIMEDOUT, a TLS code, ...).
 * A request on a reused socket that the server had closed meanwhile is retried once.
 */
export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  try {
    return await attempt(request);
  } catch (err) {
    if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return attempt(request);
    throw err;
  }
}

function attempt(r: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: r.address,
      port: r.port,
      method: r.method ?? 'GET',
      path: r.path,
      headers: r.headers,
      agent: r.agent,
    };
    if (r.tls) {
      Object.assign(options, {
        servername: r.servername,
        ca: r.ca,
        rejectUnauthorized: r.ca !== undefined,
        checkServerIdentity: r.checkServerIdentity,
      });
    }
    const req = (r.tls ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy(Object.assign(new Error(`response body over ${MAX_BODY} bytes`), { code: 'EBODYTOOLARGE' }));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(r.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${r.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end();
  });
}
