import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import { createLogger } from '../logging/logger.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

const inbox = new WebhookInbox();
let url: string;
let close: () => void;

before(async () => {
  // 127.0.0.1 plays a lab host of session "s1"; any other sender is a stranger.
  const server = await startWebhookReceiver({
    port: 0,
    inbox,
    sessionForAddress: (address) => (address === '127.0.0.1' ? 's1' : undefined),
    log: createLogger('silent'),
  });
  url = `http://127.0.0.1:${server.port}/events`;
  close = () => server.close();
});
after(() => close());

const post = (body: string) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' } });

test("files a registry notification under the sender's session", async () => {
  const res = await post(JSON.stringify({ events: [{ action: 'push', target: { repository: 'hello-world', tag: 'latest' } }] }));
  assert.equal(res.status, 200);
  assert.deepEqual(
    inbox.events('s1').map((r) => r.event.action),
    ['push'],
  );
});

test('answers bad requests with a reason and stays up', async () => {
  assert.equal((await post('not json')).status, 400);
  assert.match(((await (await post('{"events":[{}]}')).json()) as { error: string }).error, /events\.0\./);
  assert.equal((await fetch(url)).status, 405);
  const huge = await post(JSON.stringify({ events: [], pad: 'x'.repeat(2 * 1024 * 1024) })).catch(() => ({ status: 413 }));
  assert.equal(huge.status, 413);
  assert.equal((await post('{"events":[]}')).status, 200);
  assert.equal(inbox.events('s1').length, 1);
});

test('refuses senders that are not lab hosts of a running session', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress: '127.0.0.2' }, (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end(JSON.stringify({ events: [{ action: 'push', target: { repository: 'x' } }] }));
  });
  assert.equal(status, 403);
  assert.ok(!inbox.events('s1').some((r) => r.event.target.repository === 'x'));
});
