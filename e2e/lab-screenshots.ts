/**
 * Screenshots of lessons in progress for docs/: a learner part-way through a lab, in a real
 * Chromium against the real server, engine and checks. Not a test: `npx tsx e2e/lab-screenshots.ts`.
 * Each lab is driven by clicking its own runnable code blocks, step by step, as a learner does.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startE2eServer } from './lab-server.ts';

const LABS = fileURLToPath(new URL('../labs/', import.meta.url));
const DOCS = new URL('../docs/', import.meta.url);

/** Clicks every runnable block of the shown step, then waits for the step to turn green. */
async function doStep(page: Page, index: number): Promise<void> {
  const blocks = page.locator('.lesson-body pre[data-host]');
  for (let i = 0; i < (await blocks.count()); i++) {
    await blocks.nth(i).click();
    await page.waitForTimeout(2500);
  }
  const passed = page.locator('.step-item').nth(index).and(page.locator('[data-status="passed"]'));
  await passed.waitFor({ timeout: 60_000 }).catch(() => console.log(`step ${index + 1} did not turn green: the screenshot shows it as it is`));
}

async function shoot(labId: string, steps: number, file: string): Promise<void> {
  const app = await startE2eServer({ labsDir: LABS, config: { sessionsPerLearner: 2, sessionsTotal: 2 } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${app.url}/?renderer=dom#/`);
    await page.locator(`.lab-card[data-lab="${labId}"] [data-action="start"]`).click();
    await page.locator('.host-terminal').first().waitFor();
    await page.waitForTimeout(1500);
    for (let i = 0; i < steps; i++) {
      await doStep(page, i);
      await page.waitForTimeout(1200);
    }
    // Registry notifications (the webhook lab) appear below the step: show them when there are some.
    const events = page.locator('.registry-events:not([hidden])');
    if ((await events.count()) > 0) {
      await events
        .locator('details')
        .first()
        .evaluate((d) => ((d as HTMLDetailsElement).open = true));
      await events.scrollIntoViewIfNeeded();
    }
    await page.screenshot({ path: new URL(file, DOCS).pathname });
    console.log(`docs/${file}`);
  } finally {
    await browser.close();
    await app.close();
  }
}

const only = process.argv[2];
if (!only || only === 'registry-basics') await shoot('registry-basics', 2, 'lab-registry-basics.png');
if (!only || only === 'registry-webhooks') await shoot('registry-webhooks', 2, 'lab-registry-webhooks.png');
