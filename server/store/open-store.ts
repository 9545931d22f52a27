import Database from 'better-sqlite3';
import { mkdirSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Logger } from '../logging/logger.ts';
import { HUB_CERTIFICATE_DIR } from '../sandbox/hub/hub-certificate-store.ts';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';

/** The database's name in the data dir. */
export const STORE_FILE = 'drydock.db';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the store in `dataDir` (DRYDOCK_DATA_DIR). An absent or empty dir gets a fresh
 * database. Anything doubtful is refused, never reset or overwritten: a dir that holds other
 * files, a file that is not a sound SQLite database, a schema newer than this code. What is
 * there stays as it was, for the operator to restore or move.
 */
export function openStore(dataDir: string, log: Logger): SqliteStore {
  const dir = resolve(dataDir);
  const file = join(dir, STORE_FILE);
  // The Docker Hub stand-in keeps its certificate beside the store, and may have made it first.
  const entries = listDir(dir)?.filter((entry) => entry !== HUB_CERTIFICATE_DIR);
  if (entries === undefined || entries.length === 0) {
    mkdirSync(dir, { recursive: true });
    const store = openChecked(file);
    log.info({ file }, 'store created: a fresh database for learners, classes and progress');
    return store;
  }
  if (!entries.includes(STORE_FILE)) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
    throw new DrydockError(
      'DD_STORE_DIR_NOT_EMPTY',
      `the data dir ${dir} holds ${shown} but no ${STORE_FILE}; Drydock will not create its database among other files. ` +
        'Point DRYDOCK_DATA_DIR at the folder that holds drydock.db, or at an empty or absent one to start afresh.',
    );
  }
  inspect(file);
  const store = openChecked(file);
  log.info({ file }, 'store opened');
  return store;
}

function listDir(dir: string): string[] | undefined {
  let stat;
  try {
    stat = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!stat.isDirectory())
    throw new DrydockError('DD_STORE_DIR_NOT_EMPTY', `the data dir ${dir} is a file, not a folder; set DRYDOCK_DATA_DIR to a folder`);
  return readdirSync(dir).sort();
}

/** Refuses a file that is not a Drydock database this code can use; reads only (read-only handle). */
function inspect(file: string): void {
  const restore = `Stop Drydock and restore ${file} from a backup (docs/operators.md, "The store"), or move it away to start with an empty store.`;
  if (statSync(file).size > 0 && !readHeader(file).equals(SQLITE_HEADER)) {
    throw new DrydockError('DD_STORE_CORRUPT', `${file} is not a SQLite database. ${restore}`);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const problems = (db.prepare('PRAGMA quick_check').all() as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.join() !== 'ok') throw new DrydockError('DD_STORE_CORRUPT', `${file} is damaged (${problems.slice(0, 3).join('; ')}). ${restore}`);
    const version = schemaVersionOf(db);
    if (version > SCHEMA_VERSION) {
      throw new DrydockError(
        'DD_STORE_NEWER',
        `${file} has schema version ${version}, newer than this Drydock knows (${SCHEMA_VERSION}): a newer release wrote it. ` +
          `Run that release again, or restore a backup made by this one; ${file} was left as it is.`,
      );
    }
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (version === 0 && tables.n > 0) throw new DrydockError('DD_STORE_CORRUPT', `${file} is a SQLite database, but not Drydock's. ${restore}`);
  } catch (err) {
    if (err instanceof DrydockError) throw err;
    throw new DrydockError('DD_STORE_CORRUPT', `${file} cannot be read as a SQLite database (${(err as Error).message}). ${restore}`, { cause: err });
  } finally {
    db?.close();
  }
}

function readHeader(file: string): Buffer {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}

function openChecked(file: string): SqliteStore {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // WAL: readers never wait for the writer, and a crash loses at most the last transaction.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteStore(db);
  } catch (err) {
    db.close();
    throw err;
  }
}
