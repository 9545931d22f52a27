import { Router } from 'express';
import { z } from 'zod';
import { LEARNER_NAME_MAX, type JoinedBody } from '../../shared/classroom.ts';
import type { ClassService } from '../classes/class-service.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { learnerOf } from '../learners/learner-cookie.ts';
import type { Store } from '../store/store.ts';
import { GuessLimit } from '../support/guess-limit.ts';
import { addressOf } from './client-address.ts';
import { parseInput } from './validate.ts';

/** Unknown codes an address may try at once, then per minute (a classroom shares one address, and typos happen). */
const WRONG_CODES = { burst: 20, perMinute: 10 };

const joinRequest = z.strictObject({
  code: z.string().max(32),
  name: z
    .string()
    .trim()
    .min(1, 'give the name your instructor will see')
    .max(LEARNER_NAME_MAX)
    .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'letters, digits, spaces and punctuation only'),
});

/** Learners joining a class: POST /api/join with the learner cookie. */
export function classRoutes(classes: ClassService, store: Store): Router {
  const router = Router();
  const guesses = new GuessLimit(WRONG_CODES.burst, WRONG_CODES.perMinute, 'class codes');

  router.post('/join', async (req, res) => {
    const { code, name } = parseInput(joinRequest, req.body, 'the request body');
    const address = addressOf(req);
    guesses.assertAllowed(address);
    const learner = await learnerOf(store, req, res);
    try {
      const { record, member } = await classes.join(learner.id, code, name);
      const joined: JoinedBody = { class: { id: record.id, title: record.title, labIds: record.labIds }, name: member.name };
      res.json(joined);
    } catch (err) {
      if (err instanceof DrydockError && err.code === 'DD_CLASS_CODE_UNKNOWN') guesses.wrong(address);
      throw err;
    }
  });

  return router;
}
