import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../server/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { startE2eServer } from './lab-server.ts';
import { terminalText, waitForTerminal } from './terminal-text.ts';
import { PageErrors } from './page-errors.ts';

const LABS = fileURLToPath(new URL('../labs/', import.meta.url));
const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const SECRET = 'e2e-instructor-secret';
/** Small, so a learner left alone is marked stuck while the test waits; the marker itself is looked for every 5 s. */
const STUCK_AFTER_S = 12;
const VIEWPORT = { width: 1280, height: 800 };

interface Learner {
  name: string;
  context: BrowserContext;
  page: Page;
  /** The learner's id, as the class view's rows carry it. */
  id: string;
  labOpenedAt: number;
}

/** When (the page's Date.now()) a selector first matches; polled every 50 ms, so two pages compare within that. */
async function seenAt(page: Page, selector: string, timeout = 60_000): Promise<number> {
  const handle = await page.waitForFunction((s) => (document.querySelector(s) ? Date.now() : 0), selector, { polling: 50, timeout });
  return (await handle.jsonValue()) as number;
}

async function typeIn(page: Page, text: string): Promise<void> {
  await page.locator('.host-terminal[data-host="node1"]').click();
  await page.keyboard.type(text);
}

// One server, one browser: an instructor and three learners (one context each, all from 127.0.0.1) in one class.
describe('a class, from the instructor’s and the learners’ browsers', { timeout: 480_000 }, () => {
  let app: TestServer;
  let browser: Browser;
  let instructor: Page;
  let joinLink: string;
  const learners: Learner[] = [];
  const pageErrors = new PageErrors();
  const row = (learner: Learner) => `.learner-row[data-learner="${learner.id}"]`;

  before(async () => {
    [app, browser] = await Promise.all([
      startE2eServer({ labsDir: LABS, config: { instructorSecret: SECRET, stuckAfterSeconds: STUCK_AFTER_S, stuckFailures: 100 } }),
      launchChromium(),
    ]);
    const context = await browser.newContext({ viewport: VIEWPORT });
    instructor = await context.newPage();
    pageErrors.watch(instructor, 'instructor');
    await mkdir(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    pageErrors.assertNone();
  });

  test('the instructor signs in, creates a class and opens its live view', async () => {
    await instructor.goto(`${app.url}/#/instructor`);
    await instructor.locator('[data-field="secret"]').fill('not-the-secret');
    await instructor.locator('[data-action="sign-in"]').click();
    await instructor.locator('.form-error').waitFor();
    assert.match(await instructor.locator('.form-error').innerText(), /\w+ \w+/, 'a wrong secret is refused in words');
    await instructor.locator('[data-field="secret"]').fill(SECRET);
    await instructor.locator('[data-action="sign-in"]').click();
    await instructor.locator('[data-testid="class-list"] .empty').waitFor();
    await instructor.screenshot({ path: new URL('class-list-empty.png', ARTIFACTS).pathname });

    await instructor.locator('[data-field="title"]').fill('Registry workshop');
    await instructor.locator('.available-lab[data-lab="registry-basics"]').click();
    await instructor.locator('[data-field="seats"]').fill('3');
    await instructor.locator('[data-action="create-class"]').click();
    const card = instructor.locator('.class-card').first();
    await card.waitFor();
    const code = await card.locator('[data-testid="join-code"]').innerText();
    joinLink = (await card.locator('[data-testid="join-link"]').getAttribute('href'))!;
    assert.ok(joinLink.startsWith(`${app.url}/`) && joinLink.includes(code), `the join link ${joinLink} carries the code ${code}`);
    await instructor.screenshot({ path: new URL('class-list.png', ARTIFACTS).pathname });
    await card.locator('[data-action="open-class"]').click();
    await instructor.locator('[data-testid="no-learners"]').waitFor();
    await instructor.screenshot({ path: new URL('class-empty.png', ARTIFACTS).pathname });
    assert.equal(await instructor.locator('[data-testid="join-code"]').innerText(), code, 'the code is shown to read out');
  });

  test('three learners from one address join with the link and open the class’s lab', async () => {
    // Three warm hosts for three learners: on a busy 2-core machine, three cold starts at once can outlast the engine's start timeout.
    await app.sandbox.poolFilled();
    const started = ['Ada Lovelace', 'Brian', 'Chen Wei'].map(async (name) => {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      pageErrors.watch(page, name);
      // The DOM renderer, whose rows the test reads (terminal-text.ts).
      await page.goto(joinLink.replace('/#/', '/?renderer=dom#/'));
      await page.locator('[data-field="name"]').fill(name);
      await page.locator('[data-action="join"]').click();
      await page.locator('.class-page').waitFor();
      if (name === 'Brian') await page.screenshot({ path: new URL('class-page.png', ARTIFACTS).pathname });
      await page.locator('.class-lab[data-lab="registry-basics"] [data-action="start"]').click();
      await waitForTerminal(page, 'node1', /root@node1:~#/, 60_000);
      const labOpenedAt = Date.now();
      const id = (await instructor.locator('.learner-row', { hasText: name }).getAttribute('data-learner', { timeout: 10_000 }))!;
      return { name, context, page, id, labOpenedAt };
    });
    learners.push(...(await Promise.all(started)));
    assert.equal(await instructor.locator('.learner-row').count(), 3);
    for (const learner of learners) {
      assert.match(await instructor.locator(row(learner)).innerText(), /Your own registry/, `${learner.name}'s row names the lab`);
      await instructor.locator(`${row(learner)} .presence.is-online`).waitFor();
    }
  });

  /** Runs a command in the learner's terminal; the class view must show the step green within 1 s of the learner's page. */
  async function passFirstStep(learner: Learner, command: string): Promise<void> {
    const learnerSaw = seenAt(learner.page, '.step-item[data-status="passed"]');
    const instructorSaw = seenAt(instructor, `${row(learner)} .step-dot[data-step="0"][data-status="passed"]`);
    await typeIn(learner.page, command);
    const [mine, theirs] = await Promise.all([learnerSaw, instructorSaw]).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${learner.name}'s terminal shows:\n${await terminalText(learner.page, 'node1')}`);
    });
    console.log(`${learner.name}: step 1 green in the class view ${theirs - mine} ms after the learner's page`);
    assert.ok(theirs - mine <= 1000, `the class view showed ${learner.name}'s step ${theirs - mine} ms after the learner's page`);
    assert.match(await instructor.locator(`${row(learner)} .row-step-text`).innerText(), /Step 2 of \d+: Push hello-world/);
  }

  test('a learner’s step turns green in the class view within 1 s', async () => {
    const [ada] = learners;
    await passFirstStep(ada!, 'docker run -d -p 5000:5000 --name registry registry:2\n');
    assert.equal(await instructor.locator(`${row(ada!)} [data-testid="stuck"]`).count(), 0, 'a learner who just passed a step is not stuck');
  });

  test('a registry on the wrong port is shown with the failing check’s own message, then green once fixed', async () => {
    const brian = learners[1]!;
    // Named, so the check finds the container and says what is wrong with it: the port.
    await typeIn(brian.page, 'docker run -d -p 5001:5000 --name registry registry:2\n');
    // Checked after the command returns to the prompt (before it, the step failed for want of any container).
    const learnerMessage = brian.page.locator('.step-status.is-failing .step-status-text', { hasText: '5001:5000' });
    await learnerMessage.waitFor({ timeout: 30_000 });
    const said = (await learnerMessage.innerText()).replace(/^Not done yet:\s*/, '');
    const shown = instructor.locator(`${row(brian)} [data-testid="failing"]`);
    await shown.filter({ hasText: '5001:5000' }).waitFor({ timeout: 5_000 });
    assert.equal((await shown.innerText()).trim(), said, 'the class view shows the message the learner reads');
    assert.equal(await instructor.locator(`${row(brian)} .step-dot[data-step="0"]`).getAttribute('data-status'), 'failing');
    await passFirstStep(brian, 'docker rm -f registry && docker run -d -p 5000:5000 --name registry registry:2\n');
    assert.equal(await instructor.locator(`${row(brian)} [data-testid="failing"]`).count(), 0, 'the message goes once the step passes');
  });

  test('a learner left alone past the threshold is marked stuck, with why; passing a step clears it', async () => {
    const chen = learners[2]!;
    const stuck = instructor.locator(`${row(chen)} [data-testid="stuck"]`);
    await stuck.waitFor({ timeout: (STUCK_AFTER_S + 15) * 1000 });
    const after = (Date.now() - chen.labOpenedAt) / 1000;
    assert.ok(after >= STUCK_AFTER_S - 1, `marked stuck ${after.toFixed(1)} s after opening the lab, before the ${STUCK_AFTER_S} s threshold`);
    assert.match(await stuck.innerText(), /^Stuck\s+\S.*\w/s, 'the marker says why in words');
    assert.equal(await instructor.locator(row(chen)).getAttribute('data-state'), 'stuck');
    assert.match(await instructor.locator('[data-testid="class-summary"]').innerText(), /[1-3] stuck/);
    for (const viewport of [VIEWPORT, { width: 1920, height: 1080 }, { width: 800, height: 900 }]) {
      await instructor.setViewportSize(viewport);
      await instructor.screenshot({ path: new URL(`class-live-${viewport.width}.png`, ARTIFACTS).pathname });
    }
    await instructor.setViewportSize(VIEWPORT);
    await passFirstStep(chen, 'docker run -d -p 5000:5000 --name registry registry:2\n');
    await stuck.waitFor({ state: 'detached', timeout: 5_000 });
  });

  test('watching a learner shows what they type; typing in the watch view reaches nothing', async () => {
    const ada = learners[0]!;
    await instructor.locator(`${row(ada)} [data-action="watch"]`).click();
    const dialog = instructor.locator('.watch-dialog');
    await dialog.locator('[data-testid="watch-status"]', { hasText: 'Live' }).waitFor();
    await typeIn(ada.page, 'echo watched-$((6*7))\n');
    const watched = dialog.locator('.host-terminal[data-host="node1"] .xterm-rows');
    await watched.filter({ hasText: /watched-42/ }).waitFor({ timeout: 10_000 });
    assert.match(await watched.innerText(), /echo watched-\$\(\(6\*7\)\)/, 'the command as the learner typed it');

    await dialog.locator('.host-terminal[data-host="node1"]').click();
    await instructor.keyboard.type('touch /tmp/instructor-was-here; echo typed-by-instructor\n');
    await dialog.locator('[data-testid="read-only"].is-flashing').waitFor({ timeout: 2_000 });
    await instructor.screenshot({ path: new URL('class-watch.png', ARTIFACTS).pathname });
    await instructor.waitForTimeout(1_500);
    const stored = await ada.page.evaluate(() => JSON.parse(localStorage.getItem('drydock.sessions')!)['registry-basics']);
    const host = app.sessions.authorize(stored.id, stored.token).hosts.hosts.find((h) => h.name === 'node1')!;
    const probe = await host.exec(['sh', '-c', 'test -e /tmp/instructor-was-here && echo present || echo absent']);
    assert.equal(probe.stdout.trim(), 'absent', 'what the instructor typed ran in the learner’s host');
    assert.doesNotMatch(await terminalText(ada.page, 'node1'), /typed-by-instructor|instructor-was-here/);
    assert.match(await dialog.locator('[data-testid="watch-status"]').innerText(), /^Live/, 'the watch stays open: nothing was sent on it');
    await dialog.locator('[data-action="close-watch"]').click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('a message to the class reaches every learner; one to a learner reaches only them', async () => {
    await instructor.locator('[data-field="class-message"]').fill('Break until 10:45, then the push step together');
    await instructor.locator('[data-action="message-class"]').click();
    for (const learner of learners) {
      const notice = learner.page.locator('[data-testid="notice"]', { hasText: 'Break until 10:45' });
      await notice.waitFor({ timeout: 5_000 });
      assert.match(await notice.innerText(), /Message from your instructor · \d{1,2}:\d{2}/, 'with the time it was sent');
    }
    const [ada, brian] = learners;
    await instructor.locator(`${row(brian!)} [data-action="message"]`).click();
    await instructor.locator('dialog [data-field="message"]').fill('Brian, look at the port you published');
    await instructor.locator('dialog [data-action="confirm"]').click();
    await brian!.page.locator('[data-testid="notice"]', { hasText: 'look at the port' }).waitFor({ timeout: 5_000 });
    await brian!.page.waitForTimeout(300); // the notice's entrance
    await brian!.page.screenshot({ path: new URL('class-notice.png', ARTIFACTS).pathname });
    await ada!.page.waitForTimeout(500);
    assert.equal(await ada!.page.locator('[data-testid="notice"]', { hasText: 'look at the port' }).count(), 0, 'only Brian got his message');
    // It stays until dismissed.
    await brian!.page.locator('[data-testid="notice"]', { hasText: 'look at the port' }).locator('[data-action="dismiss-notice"]').click();
    assert.equal(await brian!.page.locator('[data-testid="notice"]').count(), 1);
  });

  test('the progress CSV holds every learner’s steps', async () => {
    const href = await instructor.locator('[data-action="csv"]').getAttribute('href');
    const response = await instructor.request.get(`${app.url}${href}`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type']!, /text\/csv/);
    const lines = (await response.text()).trim().split(/\r?\n/);
    assert.equal(learners.length, 3);
    for (const learner of learners) {
      const mine = lines.filter((l) => l.includes(learner.name));
      assert.equal(mine.length, 6, `${learner.name} has a line per step of the lab`);
      assert.match(mine[0]!, /registry-basics,1,.*,passed,\d{4}-/, `${learner.name}'s first step passed, with when`);
      assert.match(mine[1]!, /not passed/);
    }
  });

  test('ending a learner’s lab asks first, then ends it', async () => {
    const chen = learners[2]!;
    await instructor.locator(`${row(chen)} [data-action="end"]`).click();
    await instructor.locator('dialog [data-action="confirm"]').click();
    await chen.page.locator('[data-testid="hosts-gone"]').waitFor({ timeout: 20_000 });
    await instructor.locator(`${row(chen)} [data-action="watch"][disabled]`).waitFor({ timeout: 5_000 });
  });

  test('a learner finds their class from the catalog, its labs in order with their progress', async () => {
    const ada = learners[0]!.page;
    await ada.goto(`${app.url}/#/`);
    await ada.locator('.class-links a', { hasText: 'Registry workshop' }).click();
    const lab = ada.locator('.class-lab[data-lab="registry-basics"]');
    await lab.waitFor();
    assert.match(await lab.locator('.progress-text').innerText(), /^1 of 6 steps done$/);
    assert.equal(await lab.locator('[data-action="start"]').innerText(), 'Continue', 'her session still runs');
    assert.match(await ada.locator('.learner-name').innerText(), /Ada Lovelace/);
  });
});
