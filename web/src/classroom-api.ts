import type { ClassBody, CreateClassRequest, JoinedBody, MessageRequest, UpdateClassRequest } from '../../shared/classroom.ts';
import { call } from './api.ts';

const classPath = (id: string) => `/api/instructor/classes/${encodeURIComponent(id)}`;
const learnerPath = (classId: string, learnerId: string) => `${classPath(classId)}/learners/${encodeURIComponent(learnerId)}`;

/** The classroom routes (shared/classroom.ts; the learner's own GET /api/me is api.me); both kinds of user are known by an HttpOnly cookie, so no token rides along. */
export const classroomApi = {
  join: (code: string, name: string) => call<JoinedBody>('POST', '/api/join', { body: { code, name } }),
  signIn: (secret: string) => call<void>('POST', '/api/instructor/sign-in', { body: { secret } }),
  signOut: () => call<void>('POST', '/api/instructor/sign-out'),
  classes: () => call<ClassBody[]>('GET', '/api/instructor/classes'),
  class: (id: string) => call<ClassBody>('GET', classPath(id)),
  createClass: (request: CreateClassRequest) => call<ClassBody>('POST', '/api/instructor/classes', { body: request }),
  updateClass: (id: string, request: UpdateClassRequest) => call<ClassBody>('PATCH', classPath(id), { body: request }),
  message: (classId: string, request: MessageRequest) => call<void>('POST', `${classPath(classId)}/messages`, { body: request }),
  resetLearner: (classId: string, learnerId: string) => call<void>('POST', `${learnerPath(classId, learnerId)}/reset`),
  endLearner: (classId: string, learnerId: string) => call<void>('POST', `${learnerPath(classId, learnerId)}/end`),
};

export const classPaths = {
  events: (id: string) => `${classPath(id)}/events`,
  csv: (id: string) => `${classPath(id)}/progress.csv`,
  watch: (classId: string, learnerId: string) => `${learnerPath(classId, learnerId)}/watch`,
};
