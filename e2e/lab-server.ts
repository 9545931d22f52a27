/** Test support for the e2e tests and the bench: the real server, built web app, real labs, real checks. */
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { configSchema, type Config } from '../server/config/config.ts';
import { startTestServer, type TestServer } from '../server/test-support/test-server.ts';
import { loadLabCatalog } from '../server/labs/load.ts';
import { renderMarkdown } from '../server/labs/render.ts';
import type { SessionPolicy } from '../server/sessions/session-manager.ts';
import { WEB_OUT, buildWeb } from '../web/build.ts';
import { launchChromium } from './chromium.ts';
import { PageErrors } from './page-errors.ts';

export const FIXTURE_LABS = fileURLToPath(new URL('./fixtures/labs/', import.meta.url));

export async function startE2eServer(
  options: { labsDir?: string; policy?: Partial<SessionPolicy>; config?: Partial<Config> } = {},
): Promise<TestServer> {
  await buildWeb();
  const { labs, errors } = await loadLabCatalog(options.labsDir ?? FIXTURE_LABS);
  if (errors.length > 0) throw new Error(`fixture labs have problems: ${JSON.stringify(errors)}`);
  return startTestServer({
    labs,
    // The server's own checks, wired to its webhook receiver like `npm start`'s.
    checks: true,
    render: renderMarkdown,
    webRoot: WEB_OUT,
    policy: options.policy,
    // The configuration learners get (the warm pool on), unless a test says otherwise.
    config: { poolSize: configSchema.shape.poolSize.parse(undefined), ...options.config },
  });
}

/** What a describe block of browser tests shares: the server and one page, ready once its `before` ran. */
export interface ServerAndPage {
  app: TestServer;
  browser: Browser;
  page: Page;
}

/**
 * Registers the describe block's `before` and `after`: the server (startE2eServer's options) and a
 * Chromium page at the window size given; afterwards both closed, and the block fails if the
 * page threw.
 */
export function serverAndPage(options: Parameters<typeof startE2eServer>[0] = {}, viewport = { width: 1280, height: 800 }): ServerAndPage {
  const shared = {} as ServerAndPage;
  const errors = new PageErrors();
  before(async () => {
    [shared.app, shared.browser] = await Promise.all([startE2eServer(options), launchChromium()]);
    shared.page = errors.watch(await shared.browser.newPage({ viewport }));
  });
  after(async () => {
    await shared.browser?.close();
    await shared.app?.close();
    errors.assertNone('the page threw');
  });
  return shared;
}
