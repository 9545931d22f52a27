/**
 * Test support, not used in production code: a sandbox with one session of one host (node1), and
 * the webhook receiver filing that host's notifications in `inbox`, as the server wires them.
 */
import type { Config } from '../config/config.ts';
import type { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import { startWebhookReceiver, type HooksListenerOptions } from '../http/webhook-receiver.ts';
import { createLogger } from '../logging/logger.ts';
import type { DockerSandbox } from '../sandbox/docker-sandbox.ts';
import type { HostGroup } from '../sandbox/sandbox.ts';
import { startTestSandbox } from './sandbox.ts';

export interface HooksSession {
  sandbox: DockerSandbox;
  session: HostGroup;
  close(): Promise<void>;
}

export async function startHooksSession(config: Config, inbox: WebhookInbox, rate?: HooksListenerOptions['rate']): Promise<HooksSession> {
  const sandbox = await startTestSandbox(config);
  try {
    const session = await sandbox.createHostGroup({ hostNames: ['node1'] });
    const listener = await startWebhookReceiver({
      port: config.hooksPort,
      inbox,
      sessionForAddress: (address) => (session.hosts.some((h) => h.address === address) ? session.id : undefined),
      log: createLogger('silent'),
      rate,
    });
    return {
      sandbox,
      session,
      close: async () => {
        listener.close();
        await sandbox.close();
      },
    };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}
