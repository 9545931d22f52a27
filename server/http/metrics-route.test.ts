import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labFolder, markLab } from '../test-support/inline-lab.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { startTestServer } from '../test-support/test-server.ts';

/** A sample's value from the text format, e.g. value(text, 'drydock_hosts{place="session"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

test('GET /metrics reports sessions, hosts, start times and errors as they happen', { timeout: 120_000 }, async () => {
  await using labs = await labFolder({ 'mark/lab.md': markLab() });
  const app = await startTestServer({ labs: (await loadLabCatalog(labs.dir)).labs });
  try {
    const scrape = () => fetch(`${app.url}/metrics`).then((r) => r.text());
    const before = await scrape();
    assert.equal(value(before, 'drydock_sessions{state="ready"}'), 0);
    assert.equal(value(before, 'drydock_hosts{place="session"}'), 0);

    const bad = await fetch(`${app.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"labId":""}' });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('x-request-id') ?? '', /^[\w-]{36}$/, 'every answer carries a request id for the logs');
    const started = await fetch(`${app.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"labId":"mark"}',
    });
    assert.equal(started.status, 201);

    const after = await scrape();
    assert.equal(value(after, 'drydock_sessions{state="ready"}'), 1);
    assert.equal(value(after, 'drydock_hosts{place="session"}'), 1);
    assert.equal(value(after, 'drydock_session_start_seconds_count{from_pool="no"}'), 1);
    assert.equal(value(after, 'drydock_errors_total{code="DD_BAD_REQUEST"}'), 1);
  } finally {
    await app.close();
  }
});
