/** Test helper (not used in production): real lab hosts and a CheckContext for one suite of check tests. */
import { after, before } from 'node:test';
import { CheckContext } from '../../checks/check-context.ts';
import type { DockerSandbox } from '../sandbox/docker-sandbox.ts';
import type { HostGroup } from '../sandbox/sandbox.ts';
import { sh, startTestSandbox, testConfig } from './sandbox.ts';

export interface CheckSession {
  /** Runs a bash script in a host (node1 by default); fails the test when it exits non-zero. */
  run(script: string, host?: string): Promise<string>;
  context(): CheckContext;
}

/**
 * Registers before/after hooks in the calling suite: a session with these hosts on a sandbox of
 * its own (prepared with `prepare`, e.g. image pulls), and its removal at the end.
 */
export function checkSession(hostNames: string[], prepare?: (session: CheckSession) => Promise<unknown>): CheckSession {
  let sandbox: DockerSandbox | undefined;
  let session: HostGroup | undefined;
  let context: CheckContext | undefined;
  const handle: CheckSession = {
    run: (script, host = 'node1') => sh(session!.host(host), script),
    context: () => context!,
  };
  before(async () => {
    sandbox = await startTestSandbox(testConfig());
    session = await sandbox.createHostGroup({ hostNames });
    context = new CheckContext(session);
    await prepare?.(handle);
  });
  after(async () => {
    context?.close();
    await sandbox?.close();
  });
  return handle;
}
