import { Router } from 'express';
import type { LabBody, LabSummaryBody } from '../../shared/api.ts';
import { DrydockError } from '../errors/drydock-error.ts';

/** The labs as the browser sees them; rendered once, not per request. */
export interface LabBodies {
  list(): readonly LabSummaryBody[];
  get(id: string): LabBody | undefined;
}

export function labRoutes(labs: LabBodies): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ labs: labs.list() });
  });
  router.get('/:id', (req, res) => {
    const lab = labs.get(req.params.id);
    if (!lab) throw new DrydockError('DD_LAB_NOT_FOUND', `there is no lab "${req.params.id}"`);
    res.json({ lab });
  });
  return router;
}
