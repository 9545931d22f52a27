/**
 * Bodies of the HTTP API (server/http), shared with the browser. The WebSocket messages are in
 * protocol.ts. Lesson text arrives as HTML rendered on the server: code blocks carry
 * `data-host` when they run in a host, so the browser needs no Markdown parser.
 */
import type { SessionView, StepStatus } from './protocol.ts';

export interface LabSummaryBody {
  id: string;
  title: string;
  summary: string;
  level: 'beginner' | 'intermediate' | 'advanced';
  durationMinutes: number;
  hosts: readonly string[];
  tags: readonly string[];
  stepCount: number;
  /** The course the lab belongs to and its place in it; the catalog lists a track in this order. */
  track?: string;
  order?: number;
  /** The labs this one builds on, with their titles for links. */
  requires: readonly LabRef[];
}

export interface LabRef {
  id: string;
  title: string;
}

export interface LabBody extends LabSummaryBody {
  introHtml: string;
  steps: StepBody[];
}

export interface StepBody {
  id: string;
  title: string;
  html: string;
  hints: { title: string | undefined; html: string }[];
}

export interface SessionBody {
  session: SessionView;
  steps: StepStatus[];
}

/** Returned once, when the session starts: the token is never shown again. */
export interface StartedSessionBody extends SessionBody {
  token: string;
}

/** What is true of the machine a server runs on; its lessons are taught for these facts. */
export interface PlatformBody {
  facts: Record<string, boolean>;
  /** The origin that serves published ports (another origin than Drydock's, e.g. http://127.0.0.1:8081). */
  portsOrigin: string;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** Where a learner opens a service published in a host (the port proxy), on the ports origin. */
export function portPath(sessionId: string, host: string, port: number): string {
  return `/sessions/${encodeURIComponent(sessionId)}/ports/${host}/${port}/`;
}

/** Query parameter that carries the session token on the first visit to a port. */
export const PORT_TOKEN_PARAM = 'drydock_token';

/**
 * The address that opens a published port for the first time: on the ports origin, with the
 * token once (the ports listener swaps it for a cookie and takes it out of the address).
 *
 * @example portLink('http://127.0.0.1:8081', { id: 's1', token: 't' }, 'node1', 80)
 *   // 'http://127.0.0.1:8081/sessions/s1/ports/node1/80/?drydock_token=t'
 */
export function portLink(portsOrigin: string, session: { id: string; token: string }, host: string, port: number): string {
  return `${portsOrigin}${portPath(session.id, host, port)}?${PORT_TOKEN_PARAM}=${encodeURIComponent(session.token)}`;
}
