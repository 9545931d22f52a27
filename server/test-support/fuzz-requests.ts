/**
 * Test support, not used in production code: malformed, oversized and misdirected HTTP requests
 * for the lab server, as raw bytes (so they can break HTTP itself, which no client library
 * would send). The real session token appears only where it cannot change the session: reads,
 * an extend, a port link's first visit; never with a reset, an end or a working upgrade.
 */
import { gzipSync } from 'node:zlib';
import type { Rng } from './fuzz-input.ts';

export interface RequestTarget {
  sessionId: string;
  token: string;
  /** The session's host names. */
  hosts: readonly string[];
}

export interface RequestCase {
  kind: string;
  /** Everything written to the connection; it asks the server to close it after answering. */
  bytes: Buffer;
  method: string;
  path: string;
  /** Asked for a page (Accept: text/html): errors outside /api come as one. */
  wantsHtml: boolean;
  /** Carries the real token: only such a request may see it in the answer. */
  carriesToken: boolean;
}

const WORD = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
const METHODS = ['GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'PURGE', 'LINK'];
const TRAVERSALS = [
  '/..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/../../etc/passwd',
  '/..\\..\\windows\\win.ini',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '//etc/passwd',
  '/.%2e/.%2e/secret.txt',
  '/..%252f..%252fsecret.txt',
  '/%2e%2e%5c%2e%2e%5csecret.txt',
  '/index.html/../../secret.txt',
  '/..;/secret.txt',
];
const BAD_ESCAPES = ['%00', '%', '%Z', '%ZZ', '%E0%A4%A', '%u0000', '%2', '%%', '%C0%80', '%ED%A0%80', '%FF', '%0a', '%0d%0a', '%2500'];
const WEIRD_IDS = [
  '',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '..',
  '.',
  'a'.repeat(64),
  'a'.repeat(65),
  '%00',
  'null',
  'undefined',
  '0',
  '-1',
  'ñ',
  '%F0%9F%98%80',
  'x%2Fy',
  'x;y',
  'x y',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=klingon',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json, text/html',
  '',
  ';;;',
  'application/*',
  'application/vnd.api+json',
];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'snappy', 'gzip, gzip', 'x-gzip', 'chunked'];

function id(rng: Rng, target: RequestTarget): string {
  return rng.weighted<() => string>([
    [3, () => target.sessionId],
    [3, () => rng.string(rng.int(1, 64), WORD)],
    [3, () => rng.pick(WEIRD_IDS)],
    [1, () => target.sessionId + rng.pick(BAD_ESCAPES)],
  ])();
}

function query(rng: Rng): string {
  if (rng.chance(0.5)) return '';
  const params = Array.from({ length: rng.int(1, 4) }, () =>
    rng.pick([
      () => `${rng.string(rng.int(1, 10))}=${rng.string(rng.int(0, 20))}`,
      () => '__proto__[polluted]=1',
      () => 'constructor[prototype][polluted]=1',
      () => `a[b][c][d]=${rng.string(3)}`,
      () => `drydock_token=${rng.string(rng.int(0, 50), WORD)}`,
      () => `x=${rng.pick(BAD_ESCAPES)}`,
      () => `${rng.pick(BAD_ESCAPES)}=1`,
      () => 'x=1&x=2&x=3',
      () => `big=${'q'.repeat(rng.int(100, 4000))}`,
    ])(),
  );
  return `?${params.join('&')}`;
}

/** A path the server routes somewhere, bent a little. */
function path(rng: Rng, target: RequestTarget): { kind: string; path: string } {
  return rng.weighted<() => { kind: string; path: string }>([
    [
      4,
      () => ({
        kind: 'labs',
        path:
          rng.pick(['/api/labs', `/api/labs/${rng.pick([...WEIRD_IDS, rng.string(8)])}`, '/api/labs/', `/api/labs/x/${rng.string(4)}`]) + query(rng),
      }),
    ],
    [
      6,
      () => ({
        kind: 'sessions',
        path: `/api/sessions/${id(rng, target)}${rng.pick(['', '', '/extend', '/reset', '/ws', '/', `/${rng.string(5)}`, '/extend/more'])}${query(rng)}`,
      }),
    ],
    [3, () => ({ kind: 'start', path: rng.pick(['/api/sessions', '/api/sessions/', '/api/sessions?labId=x', '/API/SESSIONS']) })],
    [
      6,
      () => {
        const host = rng.pick([...target.hosts, 'node7', 'Node1', '-x', rng.string(rng.int(1, 40), WORD)]);
        const port = rng.pick(['80', '5000', '0', '65536', '99999', '-1', 'abc', '', '00080', '1'.repeat(rng.int(1, 8))]);
        const rest = rng.pick([
          '',
          '/',
          '/v2/',
          '/v2/_catalog',
          rng.pick(TRAVERSALS),
          `/${rng.pick(BAD_ESCAPES)}`,
          `/${rng.string(rng.int(1, 200))}`,
        ]);
        return { kind: 'ports', path: `/sessions/${id(rng, target)}/ports/${host}/${port}${rest}${query(rng)}` };
      },
    ],
    [
      4,
      () => ({
        kind: 'static',
        path:
          rng.pick([
            '/',
            '/index.html',
            '/app.js',
            '/healthz',
            '/readyz',
            '/metrics',
            '/favicon.ico',
            `/${rng.string(rng.int(1, 30))}`,
            '/api',
            '/sessions',
            '/sessions/',
          ]) + query(rng),
      }),
    ],
    [
      4,
      () => ({
        kind: 'traversal',
        path: rng.pick(['', '/api/labs', '/sessions/x/ports/node1/80', `/api/sessions/${target.sessionId}`]) + rng.pick(TRAVERSALS),
      }),
    ],
    [
      3,
      () => ({
        kind: 'bad-escape',
        path:
          rng.pick(['/', '/api/labs/', `/api/sessions/${target.sessionId}/`, '/sessions/', '/index.html']) +
          rng.pick(BAD_ESCAPES) +
          rng.string(rng.int(0, 5)),
      }),
    ],
    [
      2,
      () => ({
        kind: 'long-path',
        path: `/${rng.pick(['api/labs/', 'api/sessions/', 'sessions/x/ports/node1/80/', ''])}${'p'.repeat(rng.int(2_000, 40_000))}`,
      }),
    ],
  ])();
}

function authorization(rng: Rng, target: RequestTarget, tokenAllowed: boolean): { lines: string[]; carriesToken: boolean } {
  const token = rng.string(43, `${WORD}ABCDEFGHIJKLMNOPQRSTUVWXYZ`);
  const useReal = tokenAllowed && rng.chance(0.4);
  const bearer = `Bearer ${useReal ? target.token : token}`;
  const lines = rng.weighted<string[]>([
    [3, []],
    [4, [`Authorization: ${bearer}`]],
    [1, ['Authorization: Bearer']],
    [1, ['Authorization: Bearer ']],
    [1, [`Authorization: Bearer ${token} ${token}`]],
    [1, [`Authorization: Basic ${Buffer.from('root:root').toString('base64')}`]],
    [1, [`Authorization: bearer ${token}`]],
    [1, [`Authorization: ${token}`]],
    [1, [`Authorization: ${bearer}`, `Authorization: Bearer ${token}`]],
    [1, [`Authorization: Bearer ${token}`, `Authorization: ${bearer}`]],
    [1, [`Authorization: Bearer ${'t'.repeat(rng.int(1_000, 12_000))}`]],
    [1, [`Authorization: Bearer ${token}%00`]],
  ]);
  return { lines, carriesToken: lines.some((l) => l.includes(target.token)) };
}

function body(rng: Rng): { lines: string[]; bytes: Buffer } {
  const json = (text: string | Buffer) => ({
    lines: [`Content-Type: ${rng.chance(0.7) ? 'application/json' : rng.pick(CONTENT_TYPES)}`],
    bytes: Buffer.from(text),
  });
  const choice = rng.weighted<() => { lines: string[]; bytes: Buffer }>([
    [3, () => ({ lines: [], bytes: Buffer.alloc(0) })],
    [
      3,
      () =>
        json(
          rng.pick([
            '{"labId":"nope"}',
            '{"labId":7}',
            '{"labId":""}',
            '{"labId":null}',
            '{}',
            '[]',
            'null',
            '"x"',
            '1',
            'true',
            `{"labId":"${'l'.repeat(101)}"}`,
          ]),
        ),
    ],
    [3, () => json(rng.pick(['{', '{"labId"', '{"labId":}', "{'labId':'x'}", '{"labId":"x",}', '\uFEFF{"labId":"x"}', 'NaN', '{"a":1}{"b":2}', '']))],
    [
      2,
      () =>
        json(
          rng.pick([
            '{"__proto__":{"labId":"x"}}',
            '{"constructor":{"prototype":{"labId":"x"}}}',
            '{"labId":"nope","__proto__":{"admin":true}}',
            '{"labId":{"toString":"x"}}',
          ]),
        ),
    ],
    [1, () => json('['.repeat(rng.int(10, 8_000)) + ']'.repeat(rng.int(0, 10)))],
    [2, () => json(`{"labId":"${'x'.repeat(rng.int(16 * 1024, 200_000))}"}`)],
    [1, () => json(rng.bytes(rng.int(1, 3_000)))],
    [
      2,
      () => {
        const payload = rng.chance(0.5) ? rng.bytes(rng.int(1, 500)) : gzipSync(Buffer.alloc(rng.int(1, 4) * 1024 * 1024, 32));
        return { lines: ['Content-Type: application/json', `Content-Encoding: ${rng.pick(ENCODINGS)}`], bytes: payload };
      },
    ],
    [1, () => ({ lines: ['Content-Type: application/json; charset=utf-16le'], bytes: Buffer.from('{"labId":"x"}', 'utf16le') })],
  ])();
  return choice;
}

function extraHeaders(rng: Rng, target: RequestTarget): string[] {
  const lines: string[] = [];
  for (let i = rng.int(0, 3); i > 0; i--) {
    lines.push(
      rng.pick([
        () => `X-${rng.string(rng.int(1, 20))}: ${rng.string(rng.int(0, 40))}`,
        () => `Cookie: drydock_port_${target.sessionId}=${rng.string(43, WORD)}; theirs=1`,
        () => `Cookie: ${Array.from({ length: rng.int(1, 200) }, (_, n) => `c${n}=${rng.string(5)}`).join('; ')}`,
        () => `Origin: ${rng.pick(['https://evil.example', 'null', 'http://127.0.0.1', '%%%', ''])}`,
        () => `X-Request-Id: ${rng.pick(['../../etc', 'x'.repeat(65), '<script>', 'ok-id.1', ''])}`,
        () => `X-Forwarded-For: ${rng.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1', ''])}`,
        () => `Expect: ${rng.pick(['100-continue', 'the-unexpected', ''])}`,
        () => `Range: bytes=${rng.pick(['0-1', '5-1', '-', 'x', '0-0,0-0,0-0'])}`,
        () => `If-None-Match: ${rng.string(10)}`,
        () => rng.pick(['If-Match: "nope"', 'If-Match: *', 'If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT', 'If-Modified-Since: garbage']),
        () => `Accept-Encoding: ${rng.pick(['gzip', 'br', '*', 'x;q=abc'])}`,
        () => `X-Big: ${'h'.repeat(rng.int(1_000, 20_000))}`,
        () => Array.from({ length: rng.int(50, 150) }, (_, n) => `X-Many-${n}: ${n}`).join('\r\n'),
      ])(),
    );
  }
  return lines;
}

/** Requests that break HTTP/1.1 itself: node's parser refuses them before any route sees them. */
function brokenHttp(rng: Rng): Buffer {
  const good = 'Host: 127.0.0.1\r\nConnection: close';
  const form = rng.pick([
    () => 'GET\r\n\r\n',
    () => 'GET /\r\n\r\n',
    () => `GET / HTTP/9.9\r\n${good}\r\n\r\n`,
    () => `GET / HTTP/1.1 extra\r\n${good}\r\n\r\n`,
    () => `get /api/labs HTTP/1.1\r\n${good}\r\n\r\n`,
    () => `G ET / HTTP/1.1\r\n${good}\r\n\r\n`,
    () => `${rng.string(rng.int(1, 12), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')} /api/labs HTTP/1.1\r\n${good}\r\n\r\n`,
    () => `GET /a b HTTP/1.1\r\n${good}\r\n\r\n`,
    () => `GET /a\u0000b HTTP/1.1\r\n${good}\r\n\r\n`,
    () => `GET /\u00e9t\u00e9 HTTP/1.1\r\n${good}\r\n\r\n`,
    () => `GET / HTTP/1.1\r\nHost 127.0.0.1\r\nConnection: close\r\n\r\n`,
    () => `GET / HTTP/1.1\r\nHost : 127.0.0.1\r\nConnection: close\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${good}\r\nX-Folded: a\r\n b\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${good}\r\nX-Ctl: a\u0001b\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${good}\r\nX-Nul: a\u0000b\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${good}\r\n${rng.string(5)}\r\n\r\n`,
    () => `GET / HTTP/1.1\r\nConnection: close\r\n\r\n`,
    () => `GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nContent-Length: -1\r\n\r\n`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nContent-Length: abc\r\n\r\n`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nTransfer-Encoding: chunked\r\n\r\n2;${'e'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`,
    () => `POST /api/sessions HTTP/1.1\r\n${good}\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n0\r\n\r\n`,
    () => `GET / HTTP/1.1\r\n${good}\r\n\n`,
    () => `\r\n\r\nGET /api/labs HTTP/1.1\r\n${good}\r\n\r\n`,
    () => rng.bytes(rng.int(1, 300)).toString('latin1'),
  ])();
  return Buffer.from(form, 'latin1');
}

/** A WebSocket handshake, often wrong; one carrying the real token always is, so it cannot take the session's socket over. */
function upgradeHeaders(rng: Rng, target: RequestTarget): { lines: string[]; carriesToken: boolean } {
  const carriesToken = rng.chance(0.5);
  const token = carriesToken ? target.token : rng.string(43, WORD);
  const lines = [
    `Upgrade: ${rng.pick(['websocket', 'websocket', 'WebSocket', 'h2c', 'websocket, foo'])}`,
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${rng.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'dGhlIHNhbXBsZSBub25jZQ==', 'short', '', 'dGhlIHNhbXBsZSBub25jZQ==dGhl'])}`,
    `Sec-WebSocket-Version: ${carriesToken ? rng.pick(['12', 'x', '', '14']) : rng.pick(['13', '8', '12', 'x', ''])}`,
    `Sec-WebSocket-Protocol: ${rng.pick([`drydock.v1, drydock.token.${token}`, `drydock.token.${token}`, `drydock.v1, drydock.v1, drydock.token.${token}`, 'drydock.v1, drydock.token.', `drydock.v1,,drydock.token.${token}`, '@@@'])}`,
  ];
  return { lines, carriesToken: lines.some((l) => l.includes(target.token)) };
}

/** One request for a server running the session `target`. */
export function httpRequestCase(rng: Rng, target: RequestTarget): RequestCase {
  if (rng.chance(0.08)) {
    const bytes = brokenHttp(rng);
    return { kind: 'broken-http', bytes, method: '', path: '', wantsHtml: false, carriesToken: false };
  }
  if (rng.chance(0.02)) {
    const bytes = Buffer.from(
      `CONNECT ${rng.pick(['example.com:443', '127.0.0.1:2375', 'node1:80'])} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    return { kind: 'connect', bytes, method: 'CONNECT', path: '', wantsHtml: false, carriesToken: false };
  }
  const route = path(rng, target);
  let method = rng.pick(METHODS);
  const lines = ['Host: 127.0.0.1'];
  const accept = rng.pick([
    '',
    'text/html',
    'text/html,application/xhtml+xml,*/*;q=0.8',
    'application/json',
    '*/*',
    'image/png',
    'application/json;q=0.1, text/html',
  ]);
  if (accept) lines.push(`Accept: ${accept}`);
  let carriesToken = false;
  let kind = route.kind;
  if (rng.chance(0.1)) {
    kind = 'upgrade';
    method = rng.chance(0.9) ? 'GET' : rng.pick(METHODS);
    // Mostly at the session's own socket, where the handshake gets furthest.
    if (rng.chance(0.6)) route.path = `/api/sessions/${target.sessionId}/ws${rng.chance(0.2) ? query(rng) : ''}`;
    const upgrade = upgradeHeaders(rng, target);
    lines.push(...upgrade.lines);
    carriesToken = upgrade.carriesToken;
  } else {
    // The real token where it changes nothing that matters: reading a session, extending it, a port link.
    const sessionPath = route.path.split('?')[0]!;
    const readOnly = ['GET', 'HEAD', 'OPTIONS'].includes(method) && sessionPath === `/api/sessions/${target.sessionId}`;
    const extend = method === 'POST' && sessionPath === `/api/sessions/${target.sessionId}/extend`;
    const auth = authorization(rng, target, readOnly || extend);
    lines.push(...auth.lines);
    carriesToken = auth.carriesToken;
    if (route.kind === 'ports' && ['GET', 'HEAD'].includes(method) && rng.chance(0.3)) {
      route.path += `${route.path.includes('?') ? '&' : '?'}drydock_token=${target.token}`;
      carriesToken = true;
    }
  }
  lines.push(...extraHeaders(rng, target));
  const content = method === 'GET' && rng.chance(0.8) ? { lines: [], bytes: Buffer.alloc(0) } : body(rng);
  lines.push(...content.lines);
  if (content.bytes.length > 0 || rng.chance(0.3)) lines.push(`Content-Length: ${content.bytes.length}`);
  lines.push('Connection: close');
  const head = `${method} ${route.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
  return {
    kind,
    bytes: Buffer.concat([Buffer.from(head, 'latin1'), content.bytes]),
    method,
    path: route.path,
    wantsHtml: accept.includes('text/html'),
    carriesToken,
  };
}
