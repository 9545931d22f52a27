/** Test support for the e2e tests and the bench: the real server, built web app, real labs, real checks. */
import { fileURLToPath } from 'node:url';
import { configSchema, type Config } from '../server/config/config.ts';
import { startTestServer, type TestServer } from '../server/test-support/test-server.ts';
import { loadLabCatalog } from '../server/labs/load.ts';
import { renderMarkdown } from '../server/labs/render.ts';
import type { SessionPolicy } from '../server/sessions/session-manager.ts';
import { WEB_OUT, buildWeb } from '../web/build.ts';

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
