import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookInbox } from '../../server/webhooks/webhook-inbox.ts';
import type { HostGroup } from '../../server/sandbox/sandbox.ts';
import { startHooksSession, type HooksSession } from '../../server/test-support/hooks-session.ts';
import { sh, testConfig } from '../../server/test-support/sandbox.ts';
import { CheckContext } from '../check-context.ts';
import { runCheck } from '../run-checks.ts';

// A real registry in a lab host sends its notifications to the platform's receiver.
describe('webhook-received against a real registry', { timeout: 180_000 }, () => {
  const config = testConfig();
  const inbox = new WebhookInbox();
  let hooks: HooksSession;
  let session: HostGroup;
  let context: CheckContext;

  before(async () => {
    hooks = await startHooksSession(config, inbox);
    session = hooks.session;
    context = new CheckContext(session, { hooks: () => inbox.events(session.id) });
  });
  after(async () => {
    context?.close();
    await hooks?.close();
  });

  const check = (params: Record<string, unknown>) => runCheck({ kind: 'webhook-received', host: 'node1', params, title: 'webhook' }, context);

  test('fails before any notification, passes after the push, and only for what was pushed', async () => {
    const before = await check({ action: 'push', repository: 'hello-world', tag: 'latest' });
    assert.equal(before.passed, false);
    assert.match(before.message, /no registry notification has reached the platform/);

    const node1 = session.host('node1');
    const endpoints = `[{name: drydock, url: "http://drydock-hooks:${config.hooksPort}/events", timeout: 2s, threshold: 3, backoff: 1s}]`;
    await sh(
      node1,
      `docker run -d --name registry -p 5000:5000 --add-host drydock-hooks:$(getent ahostsv4 drydock-hooks | awk 'NR==1 {print $1}') ` +
        `-e REGISTRY_NOTIFICATIONS_ENDPOINTS='${endpoints}' registry:2`,
    );
    await sh(node1, 'for i in $(seq 50); do curl -sf localhost:5000/v2/ >/dev/null && break; sleep 0.1; done');
    await sh(node1, 'docker pull -q hello-world && docker tag hello-world 127.0.0.1:5000/hello-world && docker push 127.0.0.1:5000/hello-world');

    let after = await check({ action: 'push', repository: 'hello-world', tag: 'latest' });
    for (let i = 0; i < 50 && !after.passed; i++) {
      await sleep(100); // the registry sends from a queue, shortly after the push
      after = await check({ action: 'push', repository: 'hello-world', tag: 'latest' });
    }
    assert.equal(after.passed, true, after.message);
    const otherRepo = await check({ action: 'push', repository: 'nginx' });
    assert.equal(otherRepo.passed, false);
    assert.match(otherRepo.message, /none for a push of nginx/);
    const otherTag = await check({ action: 'push', repository: 'hello-world', tag: '2.0' });
    assert.equal(otherTag.passed, false);
  });
});
