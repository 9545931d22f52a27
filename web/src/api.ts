import type { ErrorBody, LabBody, LabSummaryBody, PlatformBody, SessionBody, StartedSessionBody } from '../../shared/api.ts';
import type { MeBody } from '../../shared/classroom.ts';

/** An error answer from the server, with its stable code and a message meant for the learner. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One JSON call to the server; an error answer becomes an ApiError with the server's sentence. */
export async function call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw new ApiError(0, 'DD_OFFLINE', 'The Drydock server cannot be reached. Check your connection and try again.');
  }
  const payload = (await response.json().catch(() => undefined)) as T | ErrorBody | undefined;
  if (!response.ok) {
    const error = (payload as ErrorBody | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'DD_HTTP', error?.message ?? `The server answered ${response.status}.`);
  }
  return payload as T;
}

export const api = {
  labs: () => call<{ labs: LabSummaryBody[] }>('GET', '/api/labs').then((r) => r.labs),
  lab: (id: string) => call<{ lab: LabBody }>('GET', `/api/labs/${encodeURIComponent(id)}`).then((r) => r.lab),
  platform: () => call<PlatformBody>('GET', '/api/platform'),
  startSession: (labId: string) => call<StartedSessionBody>('POST', '/api/sessions', { body: { labId } }),
  session: (id: string, token: string) => call<SessionBody>('GET', `/api/sessions/${id}`, { token }),
  extend: (id: string, token: string) => call<SessionBody>('POST', `/api/sessions/${id}/extend`, { token }),
  reset: (id: string, token: string) => call<SessionBody>('POST', `/api/sessions/${id}/reset`, { token }),
  end: (id: string, token: string) => call<SessionBody>('DELETE', `/api/sessions/${id}`, { token }),
  /** The learner's name, classes and lasting progress (the learner cookie comes along). */
  me: () => call<MeBody>('GET', '/api/me'),
};
