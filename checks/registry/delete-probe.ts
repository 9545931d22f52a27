import type { HttpResponse } from '../support/http-request.ts';

/**
 * A digest no manifest has: deleting it can tell how a registry treats deletes without touching
 * anything real (a sha256 of all zeros would need a preimage of SHA-256).
 */
export const NO_SUCH_DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * How a registry treats a manifest DELETE (registry-facts §2, "Deleting"):
 * - `allowed`: 404 MANIFEST_UNKNOWN (or NAME_UNKNOWN for an empty repository): it was willing;
 * - `disabled`: 405 UNSUPPORTED, a JSON error: `storage.delete.enabled` is off, or it is a
 *   pull-through cache;
 * - `read-only`: 405 with a plain-text body: in maintenance read-only mode no write handler is
 *   registered at all, so the router itself refuses;
 * - `login`: 401, the request needs credentials;
 * - `not-registry`: the answer lacks the header every registry answer carries (a web server);
 * - `unexpected`: anything else.
 * Registry 2.8 and 3.x answer alike; the repository need not exist.
 */
export type DeleteStance = 'allowed' | 'disabled' | 'read-only' | 'login' | 'not-registry' | 'unexpected';

export interface DeleteAnswer {
  stance: DeleteStance;
  /** What it answered, for messages: `404 MANIFEST_UNKNOWN`, `405 Method Not Allowed`. */
  said: string;
}

export function classifyDeleteAnswer(res: HttpResponse): DeleteAnswer {
  const code = errorCode(res.body);
  const said = `${res.status} ${code ?? (res.body.trim().split(/\r?\n/)[0]?.slice(0, 80) || 'with no body')}`;
  if (res.headers['docker-distribution-api-version'] !== 'registry/2.0') return { stance: 'not-registry', said };
  if (res.status === 404 || res.status === 202) return { stance: 'allowed', said };
  if (res.status === 405) return { stance: code === undefined ? 'read-only' : 'disabled', said };
  if (res.status === 401) return { stance: 'login', said };
  return { stance: 'unexpected', said };
}

/** The sentence for the stances no kind wants: the same whichever kind probed. */
export function explainOtherDeleteAnswer(answer: DeleteAnswer, label: string): string {
  if (answer.stance === 'login') return `the registry on ${label} asks for a login before it deletes anything (${answer.said})`;
  if (answer.stance === 'not-registry') return `something answers on ${label}, but it is not a registry (a DELETE got ${answer.said})`;
  return `the registry on ${label} answered ${answer.said} to a DELETE of a manifest that does not exist`;
}

/** The first error code of a registry's JSON error body, if it is one. */
export function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { errors?: { code?: string }[] }).errors?.[0]?.code;
  } catch {
    return undefined;
  }
}
