/**
 * The store's schema, as the ordered list of changes that build it. A database records the
 * versions applied to it (schema_version); opening it applies the ones it lacks, in one
 * transaction. Never edit a released migration: add the next one.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE learners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE classes (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        code TEXT NOT NULL UNIQUE,
        lab_ids TEXT NOT NULL,
        seats INTEGER NOT NULL,
        opens_at INTEGER,
        closes_at INTEGER,
        joining_open INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE members (
        class_id TEXT NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
        learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (class_id, learner_id)
      );
      CREATE INDEX members_by_learner ON members (learner_id);
      CREATE TABLE step_passes (
        learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
        lab_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        first_passed_at INTEGER NOT NULL,
        PRIMARY KEY (learner_id, lab_id, step_id)
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    // Running sessions, so a restarted server can adopt their hosts.
    version: 2,
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
        class_id TEXT REFERENCES classes (id) ON DELETE SET NULL,
        lab_id TEXT NOT NULL,
        token_digest TEXT NOT NULL,
        host_group_id TEXT NOT NULL,
        host_names TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        max_expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    // The learner's address, so a session taken over after a restart counts against the
    // per-address ceiling again. Sessions recorded before it have none ('').
    version: 3,
    sql: `ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';`,
  },
  {
    // Instructors' sign-ins, by the digest of their cookie's token, so a restart keeps them.
    version: 4,
    sql: `
      CREATE TABLE instructor_sign_ins (
        token_digest TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
    `,
  },
];

/** The newest schema this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The highest version applied to this database; 0 for a database without the table. */
export function schemaVersionOf(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

/** Applies the migrations the database lacks, all or none; returns the versions before and after. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  return db
    .transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
      const from = schemaVersionOf(db);
      const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
      for (const migration of migrations.filter((m) => m.version > from)) {
        db.exec(migration.sql);
        record.run(migration.version, Date.now());
      }
      return { from, to: schemaVersionOf(db) };
    })
    .immediate();
}
