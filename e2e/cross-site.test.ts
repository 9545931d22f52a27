import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../shared/protocol.ts';
import type { StartedSessionBody } from '../shared/api.ts';
import type { TestServer } from '../server/test-support/test-server.ts';
import { sh } from '../server/test-support/sandbox.ts';
import { startLabSession } from '../server/verify/node-session-client.ts';
import { launchChromium } from './chromium.ts';
import { startE2eServer } from './lab-server.ts';
import { waitForTerminal } from './terminal-text.ts';
import { PageErrors } from './page-errors.ts';

const SECRET = 'e2e-cross-site-secret';
/** One host per learner is all this needs. */
const ONE_HOST_LAB = `---
id: one-host
title: One host
summary: A lab for the cross-site test.
level: beginner
duration: 5
hosts: [node1]
---

## Leave a note

\`\`\`bash node1
echo note > /root/note
\`\`\`

\`\`\`check
- kind: command
  host: node1
  run: test -f /root/note
  message: there is no /root/note yet
\`\`\`

### Solution

\`\`\`bash node1
echo note > /root/note
\`\`\`
`;

/** What the attacker's page reports: what it could read, and what each attempt got. */
interface Report {
  storage: string;
  tokens: string[];
  attempts: { name: string; status?: number; body?: string; blocked?: string }[];
  socket: string;
}

/**
 * The page learner A serves from a port of their own host: it tries everything a page running as
 * Drydock could do to whoever opens it. `main` is Drydock's origin, `victim` the visitor's session.
 */
function attackPage(main: string, victim: string): string {
  return `<!doctype html><meta charset="utf-8"><title>my project</title><script>
(async () => {
  const main = ${JSON.stringify(main)}, victim = ${JSON.stringify(victim)};
  const report = { attempts: [] };
  const read = (f) => { try { return f(); } catch (e) { return 'error: ' + e.message; } };
  report.storage = JSON.stringify({ local: read(() => ({ ...localStorage })), session: read(() => ({ ...sessionStorage })), cookie: document.cookie });
  report.tokens = [...report.storage.matchAll(/\\\\"token\\\\":\\\\"([^\\\\"]+)/g)].map((m) => m[1]);
  const auth = report.tokens.length ? { authorization: 'Bearer ' + report.tokens[0] } : {};
  const attempt = async (name, path, init = {}) => {
    try {
      const r = await fetch(main + path, { credentials: 'include', ...init });
      report.attempts.push({ name, status: r.status, body: (await r.text()).slice(0, 300) });
    } catch (e) {
      report.attempts.push({ name, blocked: String(e) });
    }
  };
  await attempt('read /api/me', '/api/me');
  await attempt('read the session', '/api/sessions/' + victim, { headers: auth });
  await attempt('read the classes', '/api/instructor/classes');
  await attempt('create a class', '/api/instructor/classes', { method: 'POST', headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ title: 'pwned', labIds: ['one-host'], seats: 5 }) });
  await attempt('reset (opaque)', '/api/sessions/' + victim + '/reset', { method: 'POST', mode: 'no-cors', headers: auth });
  await attempt('reset', '/api/sessions/' + victim + '/reset', { method: 'POST', headers: auth });
  await attempt('end', '/api/sessions/' + victim, { method: 'DELETE', headers: auth });
  report.socket = await new Promise((resolve) => {
    const protocols = [${JSON.stringify(PROTOCOL)}, ...report.tokens.map((t) => ${JSON.stringify(TOKEN_PROTOCOL_PREFIX)} + t)];
    const ws = new WebSocket(main.replace(/^http/, 'ws') + '/api/sessions/' + victim + '/ws', protocols);
    ws.onopen = () => resolve('open');
    ws.onerror = () => resolve('refused');
  });
  window.report = report;
})();
</script><h1>Nothing to see here</h1>`;
}

/** A service on `port` of `host` that answers every request with `file` (an HTTP answer, head and body). */
async function serveFile(host: Parameters<typeof sh>[0], port: number, file: string, answer: string): Promise<void> {
  await host.exec(['tee', file], { stdin: answer });
  const script = `while IFS= read -r h && [ -n "\${h%$'\\r'}" ]; do :; done; cat ${file}`;
  await host.exec(['tee', `${file}.sh`], { stdin: script });
  await sh(host, `nohup socat TCP-LISTEN:${port},fork,reuseaddr EXEC:"bash ${file}.sh" >/dev/null 2>&1 &`);
  await sh(host, `for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1`);
}

function httpAnswer(contentType: string, body: string): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

// Issue 14: learner A publishes a page on a port of their host and gets learner B (here also a
// signed-in instructor, as a class view would make them) to open it by its port link.
describe("a learner's page cannot script Drydock for whoever opens it", { timeout: 400_000 }, () => {
  let app: TestServer;
  let browser: Browser;
  let victim: BrowserContext;
  let lesson: Page;
  let attacker: StartedSessionBody;
  let stored: { id: string; token: string };
  const pageErrors = new PageErrors();

  before(async () => {
    const labsDir = await mkdtemp(join(tmpdir(), 'drydock-cross-site-'));
    await mkdir(join(labsDir, 'one-host'));
    await writeFile(join(labsDir, 'one-host', 'lab.md'), ONE_HOST_LAB);
    [app, browser] = await Promise.all([startE2eServer({ labsDir, config: { instructorSecret: SECRET, poolSize: 2 } }), launchChromium()]);
    await rm(labsDir, { recursive: true });
    // Both learners' hosts warm before either starts: a cold start on a busy 2-core machine can outlast the host engine's 30 s.
    await app.sandbox.poolFilled();
    attacker = await startLabSession(app.url, 'one-host');
    victim = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    lesson = await victim.newPage();
    pageErrors.watch(lesson);
    const signIn = await lesson.request.post(`${app.url}/api/instructor/sign-in`, { data: { secret: SECRET }, headers: { origin: app.url } });
    assert.equal(signIn.status(), 204, await signIn.text());
    await lesson.goto(`${app.url}/?renderer=dom#/`);
    await lesson.locator('.lab-card[data-lab="one-host"] [data-action="start"]').click();
    // Cold hosts on a busy 2-core machine: give them time.
    await lesson.locator('.host-terminal[data-host="node1"] .xterm-rows').waitFor({ timeout: 120_000 });
    await waitForTerminal(lesson, 'node1', /root@node1:~#/, 60_000);
    stored = await lesson.evaluate(() => JSON.parse(localStorage.getItem('drydock.sessions')!)['one-host']);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    pageErrors.assertNone('the lab view threw');
  });

  test("B opens A's page by its port link: nothing of B's is read or acted on", async () => {
    const victimHost = app.sessions.authorize(stored.id, stored.token).hosts.host('node1');
    await sh(victimHost, 'echo mine > /root/work');
    const attackerHost = app.sessions.authorize(attacker.session.id, attacker.token).hosts.host('node1');
    await serveFile(attackerHost, 8000, '/root/page.http', httpAnswer('text/html', attackPage(app.url, stored.id)));

    // What Drydock answered the attacker's page, seen by the server (a refused cross-origin fetch shows the page nothing).
    const answers: string[] = [];
    const record = (req: IncomingMessage, res: ServerResponse) => {
      const from = req.headers.origin ?? req.headers.referer ?? '';
      if (req.method !== 'OPTIONS' && (from.startsWith(app.server.portsUrl) || from.includes(`/sessions/${attacker.session.id}/ports/`))) {
        const asked = `${req.method} ${req.url}`; // before express strips its mount paths from req.url
        res.on('finish', () => answers.push(`${asked} ${res.statusCode}`));
      }
    };
    app.server.server.on('request', record);
    const page = await victim.newPage();
    await page.goto(`${app.server.portsUrl}/sessions/${attacker.session.id}/ports/node1/8000/?drydock_token=${attacker.token}`);
    const report = (await (
      await page.waitForFunction(() => (window as unknown as { report?: unknown }).report, undefined, { timeout: 120_000 })
    ).jsonValue()) as Report;
    await page.close();
    app.server.server.off('request', record);

    const victimState = () => {
      try {
        return app.sessions.authorize(stored.id, stored.token).view().state;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const seen = {
      pageOrigin: new URL(page.url()).origin,
      storageHoldsToken: report.storage.includes(stored.token),
      tokensRead: report.tokens.length,
      // A body the page could read, or a status it could see, means the answer reached the script.
      readable: report.attempts.filter((a) => a.body || a.status).map((a) => `${a.name}: ${a.status} ${a.body}`),
      socket: report.socket,
      // Each request that left the page, as Drydock answered it (the DELETE dies at its preflight, the socket at its origin check).
      answered: answers.sort(),
      victimState: victimState(),
      victimWork: (await victimHost.exec(['cat', '/root/work']).catch(() => ({ stdout: 'the host is gone' }))).stdout.trim(),
      classes: ((await (await lesson.request.get(`${app.url}/api/instructor/classes`)).json()) as unknown[]).length,
    };
    assert.deepEqual(seen, {
      pageOrigin: app.server.portsUrl,
      storageHoldsToken: false,
      tokensRead: 0,
      readable: [],
      socket: 'refused',
      answered: [
        'GET /api/instructor/classes 403',
        'GET /api/me 403',
        `GET /api/sessions/${stored.id} 403`,
        'POST /api/instructor/classes 403',
        `POST /api/sessions/${stored.id}/reset 403`,
        `POST /api/sessions/${stored.id}/reset 403`,
      ],
      victimState: 'ready',
      victimWork: 'mine',
      classes: 0,
    });
    // B's lab goes on: the terminal answers.
    await lesson.locator('.host-terminal[data-host="node1"]').click();
    await lesson.keyboard.type('echo still-$((6*7))\n');
    await waitForTerminal(lesson, 'node1', /^still-42\s*$/m);
  });

  test("B's own port opens from the lab view on the ports origin, without the token in its address", async () => {
    const host = app.sessions.authorize(stored.id, stored.token).hosts.host('node1');
    await serveFile(host, 8080, '/root/mine.http', httpAnswer('text/plain', 'my own service'));
    await lesson.locator('.port-input').fill('8080');
    const [opened] = await Promise.all([victim.waitForEvent('page'), lesson.locator('.port-opener button').click()]);
    await opened.waitForLoadState();
    assert.equal(opened.url(), `${app.server.portsUrl}/sessions/${stored.id}/ports/node1/8080/`);
    assert.equal(await opened.locator('body').innerText(), 'my own service');
    await opened.close();
  });
});
