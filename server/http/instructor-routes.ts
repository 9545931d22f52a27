import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { ClassBody } from '../../shared/classroom.ts';
import type { Classroom } from '../classes/classroom.ts';
import { progressCsv } from '../classes/progress-csv.ts';
import { clearedInstructorCookie, instructorCookie, instructorToken } from '../instructors/instructor-cookie.ts';
import { addressOf } from './client-address.ts';
import { parseInput } from './validate.ts';

/** Keeps proxies from closing a quiet event stream, and notices a gone instructor. */
const FEED_HEARTBEAT_MS = 20_000;
/** Unread bytes of an event stream above which its reader is dropped (it reconnects and gets a snapshot). */
const FEED_BACKLOG_BYTES = 1024 * 1024;
/** Ten years from now bounds the dates a class may have. */
const time = z
  .number()
  .int()
  .min(0)
  .max(Date.now() + 10 * 365 * 86_400_000)
  .nullable()
  .default(null);

const signInRequest = z.strictObject({ secret: z.string().max(200) });
const createClassRequest = z.strictObject({
  title: z.string().trim().min(1).max(120),
  labIds: z.array(z.string().min(1).max(100)).min(1).max(50),
  seats: z.number().int().min(1).max(1000),
  opensAt: time,
  closesAt: time,
});
const updateClassRequest = z.strictObject({ joiningOpen: z.boolean() });
const messageRequest = z.strictObject({ text: z.string().trim().min(1).max(1000), learnerId: z.string().min(1).max(128).optional() });
const classParams = z.object({ id: z.string().min(1).max(64) });
const learnerParams = z.object({ id: z.string().min(1).max(64), learnerId: z.string().min(1).max(128) });

/**
 * The instructor's API at /api/instructor: signing in, then (with the sign-in cookie, on every
 * route) classes, the live class view, messages, a learner's session, the progress CSV.
 */
export function instructorRoutes(classroom: Classroom): Router {
  const { classes, signIns, feeds, learners } = classroom;
  const router = Router();

  router.post('/sign-in', (req, res) => {
    const { secret } = parseInput(signInRequest, req.body, 'the request body');
    const token = signIns.signIn(secret, addressOf(req));
    res
      .set('Set-Cookie', instructorCookie(token, signIns.maxAgeSeconds, req.secure))
      .status(204)
      .end();
  });

  const signedIn: RequestHandler = (req, _res, next) => {
    signIns.assertSignedIn(instructorToken(req.headers.cookie));
    next();
  };
  router.use(signedIn);

  router.post('/sign-out', (req, res) => {
    signIns.signOut(instructorToken(req.headers.cookie));
    res.set('Set-Cookie', clearedInstructorCookie()).status(204).end();
  });

  router.get('/classes', async (_req, res) => {
    const bodies: ClassBody[] = await Promise.all((await classes.list()).map((c) => classes.body(c)));
    res.json(bodies);
  });

  router.post('/classes', async (req, res) => {
    const record = await classes.create(parseInput(createClassRequest, req.body, 'the request body'));
    res
      .status(201)
      .location(`/api/instructor/classes/${record.id}`)
      .json(await classes.body(record));
  });

  router.get('/classes/:id', async (req, res) => {
    res.json(await classes.body(await classes.get(classId(req))));
  });

  router.patch('/classes/:id', async (req, res) => {
    const { joiningOpen } = parseInput(updateClassRequest, req.body, 'the request body');
    const record = await classes.setJoiningOpen(classId(req), joiningOpen);
    await feeds.classChanged(record);
    res.json(await classes.body(record));
  });

  router.get('/classes/:id/events', async (req, res) => {
    const record = await classes.get(classId(req));
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    const stop = await feeds.subscribe(record, (_event, json) => writeEvent(res, json));
    // Gone while the snapshot was being made: its close event has passed.
    if (res.destroyed) return stop();
    const heartbeat = setInterval(() => writeEvent(res, undefined), FEED_HEARTBEAT_MS).unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  });

  router.get('/classes/:id/progress.csv', async (req, res) => {
    const record = await classes.get(classId(req));
    const [members, passes] = await Promise.all([classroom.store.members(record.id), classroom.store.classStepPasses(record.id)]);
    const labs = record.labIds.flatMap((id) => classroom.labs.get(id) ?? []);
    const file = `${record.code}-progress.csv`;
    res
      .type('text/csv; charset=utf-8')
      .attachment(file)
      .send(progressCsv(labs, members, passes));
  });

  router.post('/classes/:id/messages', async (req, res) => {
    const { text, learnerId } = parseInput(messageRequest, req.body, 'the request body');
    await learners.message(classId(req), text, learnerId);
    res.status(204).end();
  });

  router.post('/classes/:id/learners/:learnerId/reset', async (req, res) => {
    const { id, learnerId } = parseInput(learnerParams, req.params, 'the address');
    await (await learners.sessionOf(id, learnerId)).reset();
    res.status(204).end();
  });

  router.post('/classes/:id/learners/:learnerId/end', async (req, res) => {
    const { id, learnerId } = parseInput(learnerParams, req.params, 'the address');
    await (await learners.sessionOf(id, learnerId)).end('ended');
    res.status(204).end();
  });

  return router;
}

function classId(req: Request): string {
  return parseInput(classParams, req.params, 'the address').id;
}

/** One server-sent event (`data:` JSON, as the browser's EventSource reads it), or a heartbeat comment. */
function writeEvent(res: Response, json: string | undefined): void {
  if (res.destroyed) return;
  if (res.writableLength > FEED_BACKLOG_BYTES) return void res.destroy();
  res.write(json === undefined ? ': still here\n\n' : `data: ${json}\n\n`);
}
