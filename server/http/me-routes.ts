import { Router } from 'express';
import type { MeBody } from '../../shared/classroom.ts';
import { learnerOf } from '../learners/learner-cookie.ts';
import type { LearnerProgress } from '../learners/learner-progress.ts';
import type { Store } from '../store/store.ts';

/** The learner's own page data: GET /api/me (the learner cookie is issued on first contact). */
export function meRoutes(store: Store, progress: LearnerProgress): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const learner = await learnerOf(store, req, res);
    const body: MeBody = await progress.me(learner.id);
    res.set('cache-control', 'no-store').json(body);
  });
  return router;
}
