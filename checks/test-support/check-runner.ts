/** Test helpers for check kinds against real hosts. Not used in production code. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckContext } from '../check-context.ts';
import { findCheckKind } from '../kinds/index.ts';
import { runCheck, type CheckResult } from '../run-checks.ts';

/** Runs one check the way a lab declares it: raw parameters through the kind's schema first. */
export function check(context: CheckContext, kindName: string, raw: Record<string, unknown>, host = 'node1'): Promise<CheckResult> {
  const kind = findCheckKind(kindName);
  if (!kind) throw new Error(`no check kind ${kindName}`);
  const params = kind.params.parse(raw) as Record<string, unknown>;
  return runCheck({ kind: kindName, host, params, title: kind.describe(params) }, context);
}

/** Repeats a check until it passes (state that converges: swarm tasks, a reloaded engine). */
export async function eventually(run: () => Promise<CheckResult>, timeoutMs = 30_000): Promise<CheckResult> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = await run();
    if (result.passed || performance.now() > deadline) return result;
    await sleep(250);
  }
}

/** A bash line that waits until a URL answers inside a host (curl options as given). */
export const waitForUrl = (url: string, curlOptions = ''): string =>
  `for i in $(seq 100); do curl -s -o /dev/null ${curlOptions} ${url} && exit 0; sleep 0.1; done; echo "${url} did not answer" >&2; exit 1`;
