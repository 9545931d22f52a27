import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestServer } from '../server/test-support/test-server.ts';
import { connectDocker } from '../server/sandbox/docker-client.ts';
import { LABEL, ownerFilter } from '../server/sandbox/labels.ts';
import { serverAndPage } from './lab-server.ts';
import { terminalText, waitForTerminal } from './terminal-text.ts';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

// The learner's whole path in a real Chromium against the real server, engine and checks.
describe('the lab view in a browser', { timeout: 240_000 }, () => {
  const shared = serverAndPage();
  let app: TestServer;
  let page: Page;
  before(() => ({ app, page } = shared));

  test('the catalog lists the lab with its summary, duration and level', async () => {
    await page.goto(`${app.url}/?renderer=dom#/`);
    const card = page.locator('.lab-card[data-lab="two-hosts"]');
    await card.waitFor();
    assert.equal(await card.locator('.lab-card-title').innerText(), 'Two hosts, one lesson');
    assert.match(await card.innerText(), /A lab for the end-to-end tests/);
    assert.match(await card.innerText(), /5 min/);
    assert.match(await card.innerText(), /Beginner/i);
  });

  test('starting the lab opens a terminal per host; typed commands run', async () => {
    await page.locator('.lab-card[data-lab="two-hosts"] [data-action="start"]').click();
    await waitForTerminal(page, 'node1', /root@node1:~#/);
    assert.deepEqual(await page.locator('.tab').allInnerTexts(), ['node1', 'node2']);
    await page.locator('.host-terminal[data-host="node1"]').click();
    await page.keyboard.type('echo typed-$((6*7))\n');
    await waitForTerminal(page, 'node1', /^typed-42\s*$/m);
  });

  test('a mouse click past column 95 reaches the host byte for byte (an X10 report, sent through onBinary)', async (t) => {
    await page.setViewportSize({ width: 1920, height: 800 }); // room for a column above 95
    t.after(() => page.setViewportSize({ width: 1280, height: 800 }));
    await page.keyboard.type('clear; sleep 0.5; printf "size-%s\\n" "$(stty size | tr " " x)"\n');
    const size = /^size-(\d+)x(\d+)\s*$/m.exec(await waitForTerminal(page, 'node1', /^size-\d+x\d+\s*$/m))!;
    const [rows, cols] = [Number(size[1]), Number(size[2])];
    assert.ok(cols >= 100, `${cols} columns`);
    // Mouse reporting on, a raw TTY, then whatever the terminal sends for one click.
    const readClick = 'head -c 12 | od -An -tx1 | sed "s/^/read-$((2+2)):/"';
    await page.keyboard.type(`printf '\\e[?1000h'; stty raw -echo; echo go-$((1+1)); ${readClick}; stty sane; printf '\\e[?1000l'\n`);
    await waitForTerminal(page, 'node1', /^go-2/m);
    const box = (await page.locator('.host-terminal[data-host="node1"] .xterm-screen').boundingBox())!;
    const [col, row] = [100, 2];
    await page.mouse.click(box.x + ((col - 0.5) * box.width) / cols, box.y + ((row - 0.5) * box.height) / rows);
    // ESC [ M, then 32 + button (0 pressed, 3 released), 32 + column, 32 + row: 0x84 is not UTF-8 on its own.
    const read = /read-4:(.*)$/m.exec(await waitForTerminal(page, 'node1', /read-4:.*\S/m))![1]!.trim();
    assert.equal(read, '1b 5b 4d 20 84 22 1b 5b 4d 23 84 22');
    await page.keyboard.type('clear\n');
  });

  test('a code block runs in its own host, and the step turns green', async () => {
    const block = page.locator('pre.dd-code[data-host="node2"]').first();
    await block.click();
    assert.equal(await page.locator('.tab[data-host="node2"]').getAttribute('aria-selected'), 'true', 'switched to node2');
    await waitForTerminal(page, 'node2', /^I am node2\s*$/m);
    assert.doesNotMatch(await terminalText(page, 'node1'), /I am/, 'nothing ran in node1');
    await page.locator('.step-item[data-status="passed"]').first().waitFor({ timeout: 5_000 });
    assert.match(await page.locator('.progress-text').innerText(), /1 of 2 steps/);
    assert.match(await page.locator('.step-heading').innerText(), /Leave a note on node1/, 'the lesson moved on to the next step');
  });

  test('a copy-only block has a copy button and does not run', async () => {
    await page.locator('.step-link').first().click();
    const copyOnly = page.locator('.code-block:not(.is-runnable)');
    assert.equal(await copyOnly.count(), 1);
    assert.equal(await copyOnly.locator('.code-action').innerText(), 'Copy');
    assert.equal(await page.locator('.code-block .code-action').count(), 2, 'every block has a copy button');
  });

  test('a reload finds the same shell, with its recent output', async () => {
    await page.locator('.tab[data-host="node1"]').click();
    await page.keyboard.type('echo before-$$\n');
    const before = await waitForTerminal(page, 'node1', /^before-(\d+)\s*$/m);
    const pid = /^before-(\d+)\s*$/m.exec(before)![1];
    await page.reload();
    await waitForTerminal(page, 'node1', new RegExp(`^before-${pid}\\s*$`, 'm'));
    await page.locator('.host-terminal[data-host="node1"]').click();
    await page.keyboard.type('echo after-$$\n');
    await waitForTerminal(page, 'node1', new RegExp(`^after-${pid}\\s*$`, 'm'));
  });

  test('WebGL draws when a GPU backs it or when asked; software GL gets the DOM renderer', async () => {
    const renderer = async (query: string) => {
      await page.goto(`${app.url}/${query}#/labs/two-hosts`);
      return page.locator('.host-terminal[data-host="node1"][data-renderer]').getAttribute('data-renderer');
    };
    assert.equal(await renderer('?renderer=webgl'), 'webgl');
    assert.equal(await renderer(''), 'dom', 'headless Chromium has only SwiftShader: the DOM renderer is faster there');
  });

  test('the lab view looks finished (screenshots, light and dark)', async () => {
    await page.locator('.host-terminal[data-host="node1"]').click();
    await page.keyboard.type(
      'docker run -d -p 5000:5000 --name registry registry && docker ps --format "table {{.Names}}\\t{{.Image}}\\t{{.Status}}"\n',
    );
    await page.waitForTimeout(4_000);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('lab-view.png', ARTIFACTS).pathname });
    await page.locator('.app-header .btn-icon').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: new URL('lab-view-dark.png', ARTIFACTS).pathname });
  });

  test('a lab host that stops is marked on its tab and in its terminal, with why', async () => {
    const [node2] = await connectDocker(app.config.dockerHost).listContainers({
      filters: { label: [...ownerFilter(app.config.owner, 'host').label, `${LABEL.host}=node2`] },
    });
    assert.ok(node2, 'node2 runs');
    await connectDocker(app.config.dockerHost).getContainer(node2.Id).kill();
    await page.locator('.tab.is-stopped[data-host="node2"]').waitFor({ timeout: 15_000 });
    await page.locator('.toast', { hasText: 'Lab host node2 stopped: it was killed.' }).waitFor();
    await page.locator('.tab[data-host="node2"]').click();
    await waitForTerminal(page, 'node2', /\[lab host node2 stopped: it was killed\. Reset the lab/);
    await page.screenshot({ path: new URL('host-stopped.png', ARTIFACTS).pathname });
    await page.locator('.tab[data-host="node1"]').click();
  });

  test('reset gives fresh hosts and clears the progress', async () => {
    await page.locator('[data-action="reset"]').click();
    await page.locator('dialog [data-action="confirm"]').click();
    await page.locator('.overlay').waitFor({ state: 'visible' });
    await page.locator('.overlay').waitFor({ state: 'hidden', timeout: 30_000 });
    await waitForTerminal(page, 'node1', /root@node1:~#/);
    assert.doesNotMatch(await terminalText(page, 'node1'), /typed-42|registry/, 'a fresh shell in a fresh host');
    assert.match(await page.locator('.progress-text').innerText(), /0 of 2 steps/);
  });

  test('ending the session shows the finish page and removes the hosts', async () => {
    await page.locator('[data-action="end"]').click();
    await page.locator('dialog [data-action="confirm"]').click();
    await page.locator('[data-testid="hosts-gone"]').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('.finish-card h1').innerText(), /Lab finished/);
    assert.match(await page.locator('.finish-progress').innerText(), /0 of 2 steps done/);
    await page.screenshot({ path: new URL('finish.png', ARTIFACTS).pathname });
    // The warm pool's hosts (named `lab` until a session takes them) are the server's, not the session's.
    const docker = connectDocker(app.config.dockerHost);
    const left = await Promise.all(
      ['node1', 'node2'].map((name) =>
        docker.listContainers({ all: true, filters: { label: [...ownerFilter(app.config.owner, 'host').label, `${LABEL.host}=${name}`] } }),
      ),
    );
    assert.deepEqual(
      left.flat().map((c) => c.Names[0]),
      [],
      'no lab host of the session is left',
    );
  });
});
