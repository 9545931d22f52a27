import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestServer } from '../server/test-support/test-server.ts';
import { serverAndPage } from './lab-server.ts';
import { waitForTerminal } from './terminal-text.ts';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);
/** Two cold lab hosts (no warm pool here) can take a while on a busy machine. */
const HOSTS_READY_MS = 120_000;

// Progress that lasts, as the learner sees it: the summary of a finished lab, the catalog, and
// steps done in an earlier session shown apart from steps passing now.
describe('progress in the browser', { timeout: 600_000 }, () => {
  const shared = serverAndPage({ config: { poolSize: 0 } });
  let app: TestServer;
  let page: Page;
  before(() => ({ app, page } = shared));

  const shoot = async (name: string) => {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL(name, ARTIFACTS).pathname });
  };

  /** Waits for the lab's terminal, or fails with what the page says instead (a lab that could not be opened). */
  const labOpened = async () => {
    const terminal = page.locator('.host-terminal[data-host="node1"] .xterm-rows');
    const refused = page.locator('.page-state h1');
    await terminal.or(refused).first().waitFor({ timeout: HOSTS_READY_MS });
    if (await refused.isVisible()) throw new Error(`the lab did not open: ${await page.locator('.page-state').innerText()}`);
    await waitForTerminal(page, 'node1', /root@node1:~#/);
  };

  test('a lab done to the end has a summary with the time each step first passed', async () => {
    await page.goto(`${app.url}/?renderer=dom#/`);
    await page.locator('.lab-card[data-lab="two-hosts"] [data-action="start"]').click();
    await labOpened();
    await page.locator('pre.dd-code[data-host="node2"]').first().click();
    await page.locator('.step-item[data-status="passed"]').first().waitFor({ timeout: 15_000 });
    await page.locator('pre.dd-code[data-host="node1"]').first().click();
    await page.locator('.step-item[data-status="passed"]').nth(1).waitFor({ timeout: 15_000 });
    await page.locator('[data-action="finish"]').click();
    await page.locator('.finish-steps').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('.finish-card h1').innerText(), /every step is complete/);
    assert.match(await page.locator('.finish-progress').innerText(), /^Finished /);
    assert.equal(await page.locator('.finish-step[data-passed]').count(), 2);
    assert.deepEqual(await page.locator('.finish-step-title').allInnerTexts(), ['Leave a note on node2', 'Leave a note on node1']);
    await shoot('progress-summary.png');
  });

  test('the catalog shows the lab as finished, with a link to its summary', async () => {
    await page.locator('.finish-actions a[href="#/"]').click();
    const card = page.locator('.lab-card[data-lab="two-hosts"]');
    await card.locator('.lab-card-finished').waitFor();
    assert.equal(await card.getAttribute('data-progress'), 'finished');
    assert.equal(await card.locator('[data-action="start"]').innerText(), 'Start again');
    await shoot('progress-catalog.png');
    await card.locator('[data-action="summary"]').click();
    await page.locator('.finish-steps').waitFor();
    assert.equal(await page.locator('[data-testid="hosts-gone"]').count(), 0, 'no session just ended here: nothing about hosts');
  });

  test('starting again shows the steps as done before, apart from passing now', async () => {
    await page.goto(`${app.url}/?renderer=dom#/labs/two-hosts`);
    await labOpened();
    await page.locator('.step-item[data-passed-before]').nth(1).waitFor();
    // Fresh hosts: nothing passes now (the first prompt may already have checked step 1: failing).
    const statuses = await page.locator('.step-item').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.status));
    assert.ok(!statuses.includes('passed'), statuses.join(', '));
    assert.match(await page.locator('[data-testid="passed-before"]').innerText(), /Done before, .*do it again here/);
    await shoot('progress-passed-before.png');

    await page.locator('pre.dd-code[data-host="node2"]').first().click();
    await page.locator('.step-item[data-status="passed"]').first().waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.step-item').first().getAttribute('data-passed-before'), null, 'passing now wins');
    assert.equal(await page.locator('.step-item').nth(1).getAttribute('data-passed-before'), '', 'the next is still done before only');
    await shoot('progress-passing-again.png');
    await page.locator('[data-action="end"]').click();
    await page.locator('dialog [data-action="confirm"]').click();
    await page.locator('[data-testid="hosts-gone"]').waitFor({ timeout: 20_000 });
  });
});
