/**
 * The checks package: given a session's hosts and a step's check declarations, it says which
 * hold, reading registries over their HTTP API and engines over the Engine API. It knows
 * nothing of HTTP routes or browsers; the server and `drydock verify` both use it.
 *
 * @example
 * using context = new CheckContext(session);
 * const results = await runChecks(lab.steps[0].checks, context);
 * // [{ kind: 'registry-answers', host: 'node1', passed: false, message: 'nothing answers on 127.0.0.1:5000: ...' }]
 */
export { CheckContext, type CheckContextOptions } from './check-context.ts';
export type { CheckedHost, CheckedSession } from './host/checked-host.ts';
export { runCheck, runChecks, type CheckRequest, type CheckResult } from './run-checks.ts';
export { CHECK_KINDS, CHECK_KIND_NAMES, findCheckKind } from './kinds/index.ts';
export type { CheckKind, CheckOutcome } from './check-kind.ts';
