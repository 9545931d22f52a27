import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import type { LabHost, HostGroup } from '../sandbox/sandbox.ts';
import { startHooksSession, type HooksSession } from '../test-support/hooks-session.ts';
import { sh, testConfig } from '../test-support/sandbox.ts';

const KIB = 1024;
const LIMITS = { sessionBytes: 16 * KIB, totalBytes: 24 * KIB };
const RATE = { burst: 20, perSecond: 5 };

interface Answer {
  status: number;
  body: { error?: string; code?: string; message?: string };
}

// A learner attacks the webhook receiver from their own lab host, with curl, the way they would.
describe('the webhook receiver holds against a learner flooding it from a lab host', { timeout: 180_000 }, () => {
  const config = testConfig();
  const inbox = new WebhookInbox(LIMITS);
  let hooks: HooksSession;
  let session: HostGroup;
  let host: LabHost;

  before(async () => {
    hooks = await startHooksSession(config, inbox, RATE);
    session = hooks.session;
    host = session.host('node1');
    // The costliest push event a host can send: its free-text fields at their caps, and extra keys
    // in the event, its target and the envelope.
    const padded = (file: string, keys: number) =>
      `pad() { seq ${keys} | sed 's/.*/,"k&":1/' | tr -d '\\n'; }; long=$(head -c 2000 /dev/zero | tr '\\0' u); ` +
      `{ printf '{"events":[{"action":"push","request":{"useragent":"%s"},"target":{"repository":"hello-world","tag":"latest","url":"%s"' $long $long; ` +
      `pad; printf '}'; pad; printf '}]'; pad; printf '}'; } > ${file}`;
    await sh(host, `${padded('/tmp/huge.json', 28_000)} && ${padded('/tmp/keys.json', 1_500)} && stat -c %s /tmp/huge.json /tmp/keys.json`);
  });
  after(() => hooks?.close());

  /** Posts a file from the lab host `times` times as fast as curl can, each answer in order. */
  const post = async (file: string, times = 1, curlArgs = ''): Promise<Answer[]> => {
    const out = await sh(
      host,
      `for i in $(seq ${times}); do curl -s -o /tmp/answer -w '%{http_code} ' ${curlArgs} -H 'content-type: application/vnd.docker.distribution.events.v2+json' ` +
        `--data-binary @${file} http://drydock-hooks:${config.hooksPort}/events; cat /tmp/answer; echo; done`,
    );
    return out
      .trim()
      .split('\n')
      .map((line) => {
        const [status, ...body] = line.split(' ');
        return { status: Number(status), body: JSON.parse(body.join(' ') || '{}') as Answer['body'] };
      });
  };

  test('refuses a padded 0.9 MB notification as too large, announced or chunked, and keeps nothing', async () => {
    const size = Number((await sh(host, 'stat -c %s /tmp/huge.json')).trim());
    assert.ok(size > 800_000, `the payload is ${size} bytes`);
    for (const args of ['', "-H 'Transfer-Encoding: chunked'"]) {
      const [answer] = await post('/tmp/huge.json', 1, args);
      assert.equal(answer!.status, 413, `${args || 'with Content-Length'}: ${JSON.stringify(answer)}`);
      assert.equal(answer!.body.code, 'DD_PROTOCOL_TOO_LARGE');
      assert.match(answer!.body.error!, /at most 65536 bytes; a registry sends about 1 KB per event/);
    }
    assert.equal(inbox.events(session.id).length, 0);
  });

  test('accepts an event with thousands of extra keys but keeps only what a registry sends', async () => {
    const [answer] = await post('/tmp/keys.json');
    assert.equal(answer!.status, 200, JSON.stringify(answer));
    const kept = inbox.events(session.id).at(-1)!;
    const long = 'u'.repeat(2000);
    assert.deepEqual(kept.event, { action: 'push', request: { useragent: long }, target: { repository: 'hello-world', tag: 'latest', url: long } });
    assert.ok(inbox.bytes(session.id) < 4200, `kept ${inbox.bytes(session.id)} bytes for the event`);
  });

  test('refuses over-long fields with the field named', async () => {
    await sh(host, `printf '{"events":[{"action":"push","target":{"repository":"%s"}}]}' $(head -c 300 /dev/zero | tr '\\0' r) > /tmp/long.json`);
    const [answer] = await post('/tmp/long.json');
    assert.equal(answer!.status, 400);
    assert.match(answer!.body.error!, /events\.0\.target\.repository/);
  });

  test('slows a flood to the rate limit with 429s, and the session keeps at most its bytes', async () => {
    await new Promise((resolve) => setTimeout(resolve, (RATE.burst / RATE.perSecond) * 1000)); // a full bucket
    const started = performance.now();
    const answers = await post('/tmp/keys.json', 150);
    const seconds = (performance.now() - started) / 1000;
    const ok = answers.filter((a) => a.status === 200).length;
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(ok + limited.length, answers.length, `only 200 and 429: ${[...new Set(answers.map((a) => a.status))]}`);
    assert.ok(limited.length > 0, `${answers.length} posts in ${seconds.toFixed(1)} s, none limited`);
    assert.ok(ok <= RATE.burst + RATE.perSecond * seconds + 1, `${ok} accepted in ${seconds.toFixed(1)} s`);
    assert.equal(limited[0]!.body.code, 'DD_HOOKS_RATE_LIMITED');
    assert.match(limited[0]!.body.error!, /sends notifications too fast \(at most 20 at once, then 5 a second\); try again in 1 s/);
    assert.ok(inbox.bytes(session.id) <= LIMITS.sessionBytes, `kept ${inbox.bytes(session.id)} bytes`);
    assert.ok(inbox.bytes(session.id) > LIMITS.sessionBytes / 2, 'the session did fill up to its bound');
    assert.equal(inbox.events(session.id).at(-1)!.event.target.repository, 'hello-world');
  });

  test('past the server-wide bytes a growing session is refused with 503, and the total holds', async () => {
    inbox.clear(session.id);
    for (let i = 0; inbox.bytes() < LIMITS.sessionBytes - 200; i++)
      inbox.record('another-session', [{ action: 'push', target: { repository: `other-${i}` } }]);
    await new Promise((resolve) => setTimeout(resolve, (RATE.burst / RATE.perSecond) * 1000));
    const answers = await post('/tmp/keys.json', RATE.burst);
    const full = answers.filter((a) => a.status === 503);
    assert.ok(full.length > 0, `statuses: ${answers.map((a) => a.status).join(' ')}`);
    assert.equal(full[0]!.body.code, 'DD_HOOKS_INBOX_FULL');
    assert.match(full[0]!.body.error!, /limit of 24576 bytes of registry notifications for all sessions; try again later/);
    assert.ok(inbox.bytes() <= LIMITS.totalBytes, `kept ${inbox.bytes()} bytes in all`);
  });
});
