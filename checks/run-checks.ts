import type { CheckOutcome } from './check-kind.ts';
import type { CheckContext } from './check-context.ts';
import { findCheckKind } from './kinds/index.ts';
import { ProbeFailure } from './probe-failure.ts';

/** What the runner needs of a check declaration; a lab's CheckSpec is one. */
export interface CheckRequest {
  readonly kind: string;
  readonly host: string;
  /** Produced by the kind's own parameter schema (the lab parser did it), so trusted here. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly title: string;
}

export interface CheckResult extends CheckOutcome {
  readonly kind: string;
  readonly host: string;
  readonly title: string;
  /** How long the check took, for the benchmarks and slow-check logs. */
  readonly ms: number;
}

/**
 * Runs checks side by side. Never throws: a check that cannot look (nothing listens, the engine
 * restarts) fails with a sentence saying so, and a bug in a check fails it with its message.
 */
export function runChecks(requests: readonly CheckRequest[], context: CheckContext): Promise<CheckResult[]> {
  return Promise.all(requests.map((request) => runCheck(request, context)));
}

export async function runCheck(request: CheckRequest, context: CheckContext): Promise<CheckResult> {
  const started = performance.now();
  const outcome = await evaluate(request, context);
  return { kind: request.kind, host: request.host, title: request.title, ...outcome, ms: performance.now() - started };
}

async function evaluate(request: CheckRequest, context: CheckContext): Promise<CheckOutcome> {
  const kind = findCheckKind(request.kind);
  if (!kind) return { passed: false, message: `unknown check kind "${request.kind}"` };
  try {
    return await kind.run(request.params, context.target(request.host));
  } catch (err) {
    if (err instanceof ProbeFailure) return { passed: false, message: err.message };
    return { passed: false, message: `the check could not run: ${(err as Error).message ?? String(err)}` };
  }
}
