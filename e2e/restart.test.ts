import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { ownedResources } from '../server/test-support/sandbox.ts';
import { poolFilled, serverProcesses, waitUntil } from '../server/test-support/server-process.ts';
import { buildWeb } from '../web/build.ts';
import { launchChromium } from './chromium.ts';
import { waitForTerminal } from './terminal-text.ts';
import { PageErrors } from './page-errors.ts';

// Issue 14 in the browser: an open lab page whose server restarts comes back by itself, to the same shell.
test('an open lab page reconnects by itself after a server restart, and its terminal works without a reload', { timeout: 900_000 }, async () => {
  await buildWeb();
  const processes = await serverProcesses(18_700);
  const { config, url } = processes;
  const browser = await launchChromium();
  try {
    let server = await processes.start();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors = new PageErrors();
    pageErrors.watch(page);
    // As a learner meets it: the warm pool made (a busy machine starts hosts slowly).
    await waitUntil(poolFilled(url, 3), 'the warm pool to be made', 400_000);
    await page.goto(`${url}/?renderer=dom#/`);
    await page.locator('.lab-card[data-lab="two-hosts"] [data-action="start"]').click();
    await page.locator('.host-terminal[data-host="node1"] .xterm-rows').waitFor({ timeout: 120_000 });
    await waitForTerminal(page, 'node1', /root@node1:~#/, 60_000);
    await page.locator('.host-terminal[data-host="node1"]').click();
    await page.keyboard.type('BEFORE=restart-$((6*7)); echo set-ok\n');
    await waitForTerminal(page, 'node1', /^set-ok\s*$/m);

    server.kill('SIGTERM');
    await once(server, 'exit');
    await page.locator('.connection.is-visible', { hasText: 'Drydock is restarting' }).waitFor({ timeout: 10_000 });
    assert.match(page.url(), /#\/labs?\/two-hosts/, 'the page stays on the lab');

    // The last start removes everything on its way out, so the test leaves nothing behind.
    server = await processes.start({ DRYDOCK_SHUTDOWN_HOSTS: 'remove' });
    await waitForTerminal(page, 'node1', /Drydock restarted: earlier output is not shown again/, 60_000);
    await page
      .locator('.connection.is-visible')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => {});
    assert.equal(await page.locator('.connection.is-visible').count(), 0, 'no connection problem shown any more');
    await page.locator('.host-terminal[data-host="node1"]').click();
    await page.keyboard.type('echo "value=$BEFORE"\n');
    await waitForTerminal(page, 'node1', /^value=restart-42\s*$/m);
    pageErrors.assertNone('the page threw');

    server.kill('SIGTERM');
    await once(server, 'exit');
    assert.deepEqual(await ownedResources(config), [], 'nothing left behind');
  } finally {
    await browser.close();
    await processes.close();
  }
});
