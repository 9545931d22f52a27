/**
 * The learner's running sessions, per lab, in localStorage: a reload (or a new tab) finds the
 * session and its token again. A token grants only its own session.
 */
export interface StoredSession {
  id: string;
  token: string;
}

const KEY = 'drydock.sessions';

function readAll(): Record<string, StoredSession> {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

export const sessionStore = {
  get(labId: string): StoredSession | undefined {
    return readAll()[labId];
  },
  set(labId: string, session: StoredSession): void {
    localStorage.setItem(KEY, JSON.stringify({ ...readAll(), [labId]: session }));
  },
  forget(labId: string): void {
    const all = readAll();
    delete all[labId];
    localStorage.setItem(KEY, JSON.stringify(all));
  },
};
