import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../server/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { startE2eServer } from './lab-server.ts';
import { waitForTerminal } from './terminal-text.ts';

const LABS = fileURLToPath(new URL('../labs/', import.meta.url));
const ARTIFACTS = new URL('../artifacts/', import.meta.url);

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The lab view is an app, not a document: the page never scrolls and the terminal never leaves
 * the screen, whatever the learner clicks or types (issue 12: focusing the terminal after a
 * code-block click scrolled the window and pushed the terminal and its tabs off the top).
 */
async function assertInPlace(page: Page, moment: string): Promise<void> {
  // Named functions inside evaluate() would meet tsx's `__name` helper, absent in the page.
  const seen = await page.evaluate(() => ({
    scrollY: window.scrollY,
    page: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
    viewport: { width: window.innerWidth, height: window.innerHeight },
    terminal: document.querySelector('.host-terminal.is-active')!.getBoundingClientRect().toJSON() as Box,
    rows: document.querySelector('.host-terminal.is-active .xterm-screen')!.getBoundingClientRect().toJSON() as Box,
    tabs: document.querySelector('.terminal-toolbar')!.getBoundingClientRect().toJSON() as Box,
  }));
  const { width, height } = seen.viewport;
  const inside = (b: Box) => b.top >= 0 && b.left >= 0 && b.bottom <= height && b.right <= width;
  const where = `at ${width}×${height}, after ${moment}`;
  assert.equal(seen.scrollY, 0, `the window scrolled ${where}`);
  assert.ok(
    seen.page.height <= height && seen.page.width <= width,
    `the page is ${seen.page.width}×${seen.page.height}, larger than the window, ${where}`,
  );
  assert.ok(inside(seen.terminal), `the terminal is at ${JSON.stringify(seen.terminal)}, off screen ${where}`);
  assert.ok(inside(seen.rows), `the terminal's rows are at ${JSON.stringify(seen.rows)}, partly off screen ${where}`);
  assert.ok(inside(seen.tabs), `the terminal's tabs are at ${JSON.stringify(seen.tabs)}, off screen ${where}`);
}

// A real lab in a real Chromium, one step per window size, driven as a learner drives it.
describe('the lab view keeps its layout while the learner works', { timeout: 300_000 }, () => {
  let app: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startE2eServer({ labsDir: LABS });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${app.url}/?renderer=dom#/`);
    await page.locator('.lab-card[data-lab="registry-basics"] [data-action="start"]').click();
    await waitForTerminal(page, 'node1', /root@node1:~#/, 30_000);
    await mkdir(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const sizes = [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
    { width: 1024, height: 768 },
  ];
  sizes.forEach((viewport, step) => {
    test(`at ${viewport.width}×${viewport.height}: run blocks, typing and the move to the next step leave the page still`, async () => {
      await page.setViewportSize(viewport);
      // The terminal refits a frame after its pane resizes (terminal-tabs.ts), not on the resize itself.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))));
      await assertInPlace(page, `opening step ${step + 1}`);
      const blocks = page.locator('.lesson-body pre[data-host]');
      const count = await blocks.count();
      const eyebrow = page.locator('.step-eyebrow');
      // A step can pass before its last block runs; the lesson then moves on by itself.
      for (let i = 0; i < count && (await eyebrow.textContent())!.startsWith(`Step ${step + 1} `); i++) {
        await blocks.nth(i).click();
        await assertInPlace(page, `clicking run block ${i + 1} of step ${step + 1}`);
        await page.waitForTimeout(1500);
        await assertInPlace(page, `running block ${i + 1} of step ${step + 1}`);
      }
      await waitForTerminal(page, 'node1', /root@node1:~#\s*$/, 30_000);
      await page.locator('.host-terminal[data-host="node1"]').click();
      await page.keyboard.type(`echo typed-in-step-$((${step} + 1))\n`);
      await waitForTerminal(page, 'node1', new RegExp(`^typed-in-step-${step + 1}\\s*$`, 'm'));
      await assertInPlace(page, `typing into the terminal in step ${step + 1}`);
      await page.locator('.step-item').nth(step).and(page.locator('[data-status="passed"]')).waitFor({ timeout: 60_000 });
      await eyebrow.filter({ hasText: `Step ${step + 2} of` }).waitFor();
      await assertInPlace(page, `step ${step + 1} turned green and the lesson moved on`);
      await page.screenshot({ path: new URL(`lab-layout-${viewport.width}x${viewport.height}.png`, ARTIFACTS).pathname });
    });
  });
});
