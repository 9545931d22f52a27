import type { Request } from 'express';
import type { LabSession } from '../sessions/lab-session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';

/** The token from `Authorization: Bearer <token>`. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The session named in the path, if the request carries its token. */
export function authorizedSession(sessions: SessionManager, req: Request): LabSession {
  return sessions.authorize(String(req.params.id), bearerToken(req.get('authorization')));
}
