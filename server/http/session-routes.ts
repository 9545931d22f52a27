import { Router } from 'express';
import { z } from 'zod';
import type { SessionBody, StartedSessionBody } from '../../shared/api.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { learnerOf } from '../learners/learner-cookie.ts';
import type { Store } from '../store/store.ts';
import { authorizedSession } from './session-auth.ts';
import { parseInput } from './validate.ts';
import { addressOf } from './client-address.ts';

const startRequest = z.strictObject({ labId: z.string().min(1).max(100) });

function body(session: LabSession): SessionBody {
  return { session: session.view(), steps: [...session.steps] };
}

/**
 * Session lifecycle over HTTP. Every route but start needs the session's token; start needs a
 * learner (the learner cookie, issued here on first contact) and counts against their limit and
 * their address's.
 */
export function sessionRoutes(sessions: SessionManager, store: Store): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const { labId } = parseInput(startRequest, req.body, 'the request body');
    const learner = await learnerOf(store, req, res);
    const { session, token } = await sessions.start(labId, { learnerId: learner.id, address: addressOf(req) });
    const started: StartedSessionBody = { ...body(session), token };
    res.status(201).location(`/api/sessions/${session.id}`).json(started);
  });

  router.get('/:id', (req, res) => {
    const session = authorizedSession(sessions, req);
    session.touch();
    res.json(body(session));
  });

  router.post('/:id/extend', (req, res) => {
    const session = authorizedSession(sessions, req);
    session.extend();
    res.json(body(session));
  });

  router.post('/:id/reset', async (req, res) => {
    const session = authorizedSession(sessions, req);
    await session.reset();
    res.json(body(session));
  });

  router.delete('/:id', async (req, res) => {
    const session = authorizedSession(sessions, req);
    await session.end('ended');
    res.json(body(session));
  });

  return router;
}
