import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../server/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { startE2eServer } from './lab-server.ts';

const LABS = fileURLToPath(new URL('../labs/', import.meta.url));

let app: TestServer;
let browser: Browser;

before(async () => {
  app = await startE2eServer({ labsDir: LABS });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

// The repository's catalog in a real Chromium: a course, not an alphabet.
test('the catalog shows the registry track in teaching order, prerequisites linked, no sample', { timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${app.url}/#/`);
  const track = page.locator('.track[data-track="registry"]');
  await track.locator('.lab-card').first().waitFor();
  assert.equal(await track.locator('.track-title').innerText(), 'Registry track');
  assert.deepEqual(await track.locator('.lab-card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.lab)), [
    'registry-basics',
    'registry-tls',
    'registry-auth',
    'registry-swarm',
    'registry-garbage-collection',
    'registry-pull-through-cache',
    'registry-webhooks',
  ]);
  assert.equal(await page.locator('.lab-card[data-lab="sample-registry"]').count(), 0);
  assert.equal(await page.locator('.lab-card[data-lab="registry-basics"] .lab-card-requires').count(), 0);
  const requires = page.locator('.lab-card[data-lab="registry-auth"] .lab-card-requires');
  assert.equal(await requires.innerText(), 'Builds on A registry other machines can trust (TLS)');
  // The link shows the prerequisite's card, without starting a session.
  await requires.locator('a[data-requires="registry-tls"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-lab')), 'registry-tls');
  assert.equal(new URL(page.url()).hash, '#/');
  await page.close();
});
