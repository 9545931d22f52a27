import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { LabBody, LabSummaryBody } from '../../shared/api.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { renderMarkdown } from '../labs/render.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const LABS = fileURLToPath(new URL('../../labs/', import.meta.url));

// The repository's labs through the real server: a course in teaching order, samples hidden,
// lesson text for the machine the server states (IPVS here, which this machine lacks).
describe('the catalog API', { timeout: 120_000 }, () => {
  let app: TestServer;
  const get = async <T>(path: string): Promise<T> => (await fetch(app.url + path)).json() as Promise<T>;

  before(async () => {
    const { labs, errors } = await loadLabCatalog(LABS);
    assert.deepEqual(errors, []);
    app = await startTestServer({ labs, render: renderMarkdown, facts: { ipvs: true } });
  });

  after(async () => app?.close());

  test('lists the registry track in teaching order, with prerequisites by title, and no sample', async () => {
    const { labs } = await get<{ labs: LabSummaryBody[] }>('/api/labs');
    assert.deepEqual(
      labs.map((l) => [l.order, l.id]),
      [
        [1, 'registry-basics'],
        [2, 'registry-tls'],
        [3, 'registry-auth'],
        [4, 'registry-swarm'],
        [5, 'registry-garbage-collection'],
        [6, 'registry-pull-through-cache'],
        [7, 'registry-webhooks'],
      ],
    );
    assert.ok(labs.every((l) => l.track === 'registry'));
    assert.deepEqual(labs.find((l) => l.id === 'registry-auth')!.requires, [
      { id: 'registry-tls', title: 'A registry other machines can trust (TLS)' },
    ]);
    assert.deepEqual(labs[0]!.requires, []);
  });

  test('a hidden sample is still served by id (instructors and drydock verify use it)', async () => {
    const { lab } = await get<{ lab: LabBody }>('/api/labs/sample-registry');
    assert.equal(lab.id, 'sample-registry');
  });

  test('lesson text follows the stated facts', async () => {
    const { lab } = await get<{ lab: LabBody }>('/api/labs/registry-swarm');
    assert.match(lab.introHtml, /has IPVS, so here you use the routing mesh/);
    const reach = lab.steps.find((s) => s.id === 'reach-it-at-127-0-0-1-5000-on-every-node')!;
    assert.match(reach.html, /--publish-add published=5000,target=5000/);
    assert.doesNotMatch(reach.html, /:::|registry-proxy\.conf/);
    assert.deepEqual(
      reach.hints.map((h) => h.title),
      ['nothing answers on a node'],
    );
  });
});
