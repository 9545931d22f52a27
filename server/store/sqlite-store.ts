import type Database from 'better-sqlite3';
import type { ClassRecord, LearnerRecord, MemberRecord, SessionRecord, SignInRecord, StepPassRecord, Store } from './store.ts';

interface ClassRow {
  id: string;
  title: string;
  code: string;
  lab_ids: string;
  seats: number;
  opens_at: number | null;
  closes_at: number | null;
  joining_open: number;
  created_at: number;
}

interface SessionRow {
  id: string;
  learner_id: string;
  class_id: string | null;
  address: string;
  lab_id: string;
  token_digest: string;
  host_group_id: string;
  host_names: string;
  started_at: number;
  expires_at: number;
  max_expires_at: number;
}

const CLASS_COLUMNS = 'c.id, c.title, c.code, c.lab_ids, c.seats, c.opens_at, c.closes_at, c.joining_open, c.created_at';
const PASS_COLUMNS = 'p.learner_id AS learnerId, p.lab_id AS labId, p.step_id AS stepId, p.first_passed_at AS firstPassedAt';

function classOf(row: ClassRow): ClassRecord {
  return {
    id: row.id,
    title: row.title,
    code: row.code,
    labIds: JSON.parse(row.lab_ids) as string[],
    seats: row.seats,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    joiningOpen: row.joining_open === 1,
    createdAt: row.created_at,
  };
}

function sessionOf(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    learnerId: row.learner_id,
    classId: row.class_id,
    address: row.address,
    labId: row.lab_id,
    tokenDigest: row.token_digest,
    hostGroupId: row.host_group_id,
    hostNames: JSON.parse(row.host_names) as string[],
    startedAt: row.started_at,
    expiresAt: row.expires_at,
    maxExpiresAt: row.max_expires_at,
  };
}

/**
 * The Store in one SQLite file (better-sqlite3). Its calls are synchronous and each statement is
 * atomic; the methods are async only to keep the Store's shape. Open it with `openStore`, which
 * checks the file and brings its schema up to date.
 */
export class SqliteStore implements Store {
  constructor(private readonly db: Database.Database) {}

  async ensureLearner(id: string, now: number): Promise<LearnerRecord> {
    this.db.prepare('INSERT INTO learners (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(id, now);
    return (await this.getLearner(id))!;
  }

  async getLearner(id: string): Promise<LearnerRecord | undefined> {
    return this.db.prepare('SELECT id, name, created_at AS createdAt FROM learners WHERE id = ?').get(id) as LearnerRecord | undefined;
  }

  async createClass(c: ClassRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO classes (id, title, code, lab_ids, seats, opens_at, closes_at, joining_open, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.title, c.code, JSON.stringify(c.labIds), c.seats, c.opensAt, c.closesAt, c.joiningOpen ? 1 : 0, c.createdAt);
  }

  async getClass(id: string): Promise<ClassRecord | undefined> {
    const row = this.db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes c WHERE c.id = ?`).get(id) as ClassRow | undefined;
    return row && classOf(row);
  }

  async getClassByCode(code: string): Promise<ClassRecord | undefined> {
    const row = this.db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes c WHERE c.code = ?`).get(code) as ClassRow | undefined;
    return row && classOf(row);
  }

  async listClasses(): Promise<ClassRecord[]> {
    return (this.db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes c ORDER BY c.created_at, c.id`).all() as ClassRow[]).map(classOf);
  }

  async setJoiningOpen(classId: string, open: boolean): Promise<void> {
    this.db.prepare('UPDATE classes SET joining_open = ? WHERE id = ?').run(open ? 1 : 0, classId);
  }

  async joinClass(m: MemberRecord): Promise<'joined' | 'rejoined' | 'full'> {
    // IMMEDIATE takes the write lock before counting, so another process cannot fill the seat in between.
    return this.db
      .transaction((): 'joined' | 'rejoined' | 'full' => {
        const rejoined =
          this.db.prepare('UPDATE members SET name = ? WHERE class_id = ? AND learner_id = ?').run(m.name, m.classId, m.learnerId).changes > 0;
        if (!rejoined) {
          const { taken, seats } = this.db
            .prepare('SELECT (SELECT count(*) FROM members WHERE class_id = c.id) AS taken, c.seats AS seats FROM classes c WHERE c.id = ?')
            .get(m.classId) as { taken: number; seats: number };
          if (taken >= seats) return 'full';
          this.db
            .prepare('INSERT INTO members (class_id, learner_id, name, joined_at) VALUES (?, ?, ?, ?)')
            .run(m.classId, m.learnerId, m.name, m.joinedAt);
        }
        this.db.prepare('UPDATE learners SET name = ? WHERE id = ?').run(m.name, m.learnerId);
        return rejoined ? 'rejoined' : 'joined';
      })
      .immediate();
  }

  async members(classId: string): Promise<MemberRecord[]> {
    return this.db
      .prepare(
        'SELECT class_id AS classId, learner_id AS learnerId, name, joined_at AS joinedAt FROM members WHERE class_id = ? ORDER BY joined_at, learner_id',
      )
      .all(classId) as MemberRecord[];
  }

  async classesOf(learnerId: string): Promise<ClassRecord[]> {
    const rows = this.db
      .prepare(`SELECT ${CLASS_COLUMNS} FROM classes c JOIN members m ON m.class_id = c.id WHERE m.learner_id = ? ORDER BY m.joined_at, c.id`)
      .all(learnerId) as ClassRow[];
    return rows.map(classOf);
  }

  async recordStepPassed(r: StepPassRecord): Promise<boolean> {
    const insert = this.db.prepare(
      'INSERT INTO step_passes (learner_id, lab_id, step_id, first_passed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    return insert.run(r.learnerId, r.labId, r.stepId, r.firstPassedAt).changes === 1;
  }

  async stepPasses(learnerId: string, labId?: string): Promise<StepPassRecord[]> {
    const where = labId === undefined ? 'p.learner_id = ?' : 'p.learner_id = ? AND p.lab_id = ?';
    const args = labId === undefined ? [learnerId] : [learnerId, labId];
    return this.db
      .prepare(`SELECT ${PASS_COLUMNS} FROM step_passes p WHERE ${where} ORDER BY p.first_passed_at, p.lab_id, p.step_id`)
      .all(...args) as StepPassRecord[];
  }

  async classStepPasses(classId: string): Promise<StepPassRecord[]> {
    return this.db
      .prepare(
        `SELECT ${PASS_COLUMNS} FROM step_passes p JOIN members m ON m.learner_id = p.learner_id WHERE m.class_id = ? ORDER BY p.first_passed_at, p.learner_id`,
      )
      .all(classId) as StepPassRecord[];
  }

  async saveSession(s: SessionRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (id, learner_id, class_id, address, lab_id, token_digest, host_group_id, host_names, started_at, expires_at, max_expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.id,
        s.learnerId,
        s.classId,
        s.address,
        s.labId,
        s.tokenDigest,
        s.hostGroupId,
        JSON.stringify(s.hostNames),
        s.startedAt,
        s.expiresAt,
        s.maxExpiresAt,
      );
  }

  async updateSession(id: string, patch: Partial<Pick<SessionRecord, 'expiresAt' | 'maxExpiresAt' | 'hostGroupId' | 'hostNames'>>): Promise<void> {
    const columns: Record<keyof typeof patch, string> = {
      expiresAt: 'expires_at',
      maxExpiresAt: 'max_expires_at',
      hostGroupId: 'host_group_id',
      hostNames: 'host_names',
    };
    const keys = (Object.keys(columns) as (keyof typeof patch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const values = keys.map((k) => (k === 'hostNames' ? JSON.stringify(patch.hostNames) : patch[k]));
    this.db.prepare(`UPDATE sessions SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
  }

  async removeSession(id: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async sessions(): Promise<SessionRecord[]> {
    return (this.db.prepare('SELECT * FROM sessions ORDER BY started_at, id').all() as SessionRow[]).map(sessionOf);
  }

  async saveSignIn(signIn: SignInRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO instructor_sign_ins (token_digest, expires_at) VALUES (?, ?) ON CONFLICT (token_digest) DO UPDATE SET expires_at = excluded.expires_at',
      )
      .run(signIn.tokenDigest, signIn.expiresAt);
  }

  async removeSignIns(tokenDigest: string | undefined, now: number): Promise<void> {
    this.db.prepare('DELETE FROM instructor_sign_ins WHERE token_digest = ? OR expires_at <= ?').run(tokenDigest ?? null, now);
  }

  async signIns(): Promise<SignInRecord[]> {
    return this.db
      .prepare('SELECT token_digest AS tokenDigest, expires_at AS expiresAt FROM instructor_sign_ins ORDER BY expires_at')
      .all() as SignInRecord[];
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
