import { CheckContext, runChecks } from '../../checks/index.ts';
import type { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Lab } from '../labs/lab.ts';
import type { Logger } from '../logging/logger.ts';
import type { HostGroup } from '../sandbox/sandbox.ts';
import type { StepResult } from './step-progress.ts';

/** Checks slower than this are logged: the step should turn green within 250 ms of the prompt. */
const SLOW_CHECK_MS = 200;

/** A lab's step checks bound to one host group; its connections stay open until closed. */
export interface HostChecks {
  verify(stepIndex: number): Promise<StepResult>;
  close(): void;
}

/** Checks steps with the checks package: one check context (keep-alive connections) per host group. */
export class StepChecker {
  constructor(
    private readonly log: Logger,
    /** Registry notifications by host group, for the webhook-received kind. */
    private readonly hooks?: WebhookInbox,
    private readonly metrics?: Pick<Metrics, 'checkRan'>,
  ) {}

  forHosts(lab: Lab, hosts: HostGroup): HostChecks {
    const context = new CheckContext(hosts, { hooks: () => this.hooks?.events(hosts.id) ?? [] });
    return {
      verify: async (stepIndex) => {
        const step = lab.steps[stepIndex];
        if (!step) return { passed: false, message: `the lab has no step ${stepIndex + 1}` };
        const results = await runChecks(step.checks, context);
        for (const r of results) this.metrics?.checkRan(r.kind, r.ms);
        for (const r of results)
          if (r.ms > SLOW_CHECK_MS) this.log.warn({ lab: lab.id, step: step.id, kind: r.kind, ms: Math.round(r.ms) }, 'slow check');
        return results.find((r) => !r.passed) ?? { passed: true, message: 'every check passed' };
      },
      close: () => {
        context.close();
        this.hooks?.clear(hosts.id);
      },
    };
  }
}
