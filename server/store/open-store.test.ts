import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { createLogger, type Logger } from '../logging/logger.ts';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersionOf } from './migrations.ts';
import { openStore, STORE_FILE } from './open-store.ts';

const silent = createLogger('silent');
const root = await mkdtemp(join(tmpdir(), 'drydock-open-store-'));
after(() => rm(root, { recursive: true, force: true }));

let dirs = 0;
async function freshDir(): Promise<string> {
  const dir = join(root, `d${++dirs}`);
  await mkdir(dir);
  return dir;
}

function capturingLogger(): { log: Logger; lines: () => { msg: string; file?: string }[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    log: pino({ level: 'info' }, sink),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

/** Opening must refuse, and leave the file byte for byte as it was. */
async function assertRefusedUnchanged(dir: string, expected: { code: string; message: RegExp }): Promise<void> {
  const file = join(dir, STORE_FILE);
  const before = await readFile(file);
  assert.throws(() => openStore(dir, silent), expected);
  assert.ok((await readFile(file)).equals(before), 'the file is unchanged');
}

test('an absent data dir is created with a fresh database at the newest schema, and that is logged', async () => {
  const dir = join(await freshDir(), 'nested', 'data');
  const { log, lines } = capturingLogger();
  const store = openStore(dir, log);
  await store.ensureLearner('x', 1);
  await store.close();
  const db = new Database(join(dir, STORE_FILE), { readonly: true });
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  assert.ok(lines().some((l) => /store created/.test(l.msg) && l.file === join(dir, STORE_FILE)));
});

test('an empty data dir gets a fresh database; reopening keeps what was stored', async () => {
  const dir = await freshDir();
  const first = openStore(dir, silent);
  await first.ensureLearner('kept', 7);
  await first.close();
  const again = openStore(dir, silent);
  assert.deepEqual(await again.getLearner('kept'), { id: 'kept', name: '', createdAt: 7 });
  await again.close();
});

test('a database at version 1 is migrated to the newest version at open, its rows kept', async () => {
  const dir = await freshDir();
  const v1 = new Database(join(dir, STORE_FILE));
  assert.deepEqual(migrate(v1, MIGRATIONS.slice(0, 1)), { from: 0, to: 1 });
  v1.prepare("INSERT INTO learners (id, name, created_at) VALUES ('old', 'Ada', 3)").run();
  v1.close();
  const store = openStore(dir, silent);
  assert.deepEqual(await store.getLearner('old'), { id: 'old', name: 'Ada', createdAt: 3 });
  await store.saveSession({
    id: 's',
    learnerId: 'old',
    classId: null,
    address: '203.0.113.7',
    labId: 'l',
    tokenDigest: 'd',
    hostGroupId: 'g',
    hostNames: ['node1'],
    startedAt: 1,
    expiresAt: 2,
    maxExpiresAt: 3,
  });
  assert.equal((await store.sessions()).length, 1, 'the table of version 2 exists');
  await store.close();
  const db = new Database(join(dir, STORE_FILE), { readonly: true });
  assert.deepEqual(
    db.prepare('SELECT version FROM schema_version ORDER BY version').all(),
    MIGRATIONS.map((m) => ({ version: m.version })),
  );
  db.close();
});

test('sessions recorded at version 2 come back at version 3 with no address, and new ones keep theirs', async () => {
  const dir = await freshDir();
  const v2 = new Database(join(dir, STORE_FILE));
  migrate(v2, MIGRATIONS.slice(0, 2));
  v2.prepare("INSERT INTO learners (id, name, created_at) VALUES ('l', '', 1)").run();
  v2.prepare(
    `INSERT INTO sessions (id, learner_id, class_id, lab_id, token_digest, host_group_id, host_names, started_at, expires_at, max_expires_at)
     VALUES ('old', 'l', NULL, 'lab', 'd', 'g', '["node1"]', 1, 2, 3)`,
  ).run();
  v2.close();
  const store = openStore(dir, silent);
  await store.saveSession({ ...(await store.sessions())[0]!, id: 'new', hostGroupId: 'g2', address: '198.51.100.4' });
  assert.deepEqual(
    (await store.sessions()).map((s) => [s.id, s.address]),
    [
      ['new', '198.51.100.4'],
      ['old', ''],
    ],
  );
  await store.close();
});

test('a migration that fails leaves the database at its old version (all or nothing)', async () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 1));
  const broken = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE later (x); THIS IS NOT SQL' }];
  assert.throws(() => migrate(db, broken));
  assert.equal(schemaVersionOf(db), 1);
  assert.deepEqual(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('sessions', 'later')").get(), { n: 0 });
  db.close();
});

test('a data dir with other files and no database is refused, naming the dir and what is in it', async () => {
  const dir = await freshDir();
  await writeFile(join(dir, 'notes.txt'), 'mine');
  assert.throws(() => openStore(dir, silent), {
    code: 'DD_STORE_DIR_NOT_EMPTY',
    message: new RegExp(`${dir} holds notes\\.txt but no drydock\\.db`),
  });
  assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'mine');
});

test('a file that is not a SQLite database is refused and left as it was', async () => {
  const dir = await freshDir();
  await writeFile(join(dir, STORE_FILE), 'these are my notes, not a database\n'.repeat(200));
  await assertRefusedUnchanged(dir, { code: 'DD_STORE_CORRUPT', message: /drydock\.db is not a SQLite database.*restore .* from a backup/ });
});

test('a damaged database (quick_check fails) is refused and left as it was', async () => {
  const dir = await freshDir();
  const store = openStore(dir, silent);
  for (let i = 0; i < 400; i++) await store.ensureLearner(`learner-${i}-${'x'.repeat(40)}`, i);
  await store.close();
  const file = join(dir, STORE_FILE);
  const bytes = await readFile(file);
  // Scribble over the middle of the file, past the header: pages of the learners' table and index.
  bytes.fill(0x5a, 4096 * 3 + 100, 4096 * 6);
  await writeFile(file, bytes);
  await assertRefusedUnchanged(dir, { code: 'DD_STORE_CORRUPT', message: /drydock\.db (is damaged|cannot be read)/ });
});

test('a database written by a newer Drydock is refused and left as it was', async () => {
  const dir = await freshDir();
  await openStore(dir, silent).close();
  const db = new Database(join(dir, STORE_FILE));
  db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, 0)').run(SCHEMA_VERSION + 5);
  db.close();
  await assertRefusedUnchanged(dir, {
    code: 'DD_STORE_NEWER',
    message: new RegExp(`schema version ${SCHEMA_VERSION + 5}, newer than this Drydock knows`),
  });
});

test('a SQLite database that is not Drydock\u2019s is refused and left as it was', async () => {
  const dir = await freshDir();
  const db = new Database(join(dir, STORE_FILE));
  db.exec('CREATE TABLE photos (id INTEGER)');
  db.close();
  await assertRefusedUnchanged(dir, { code: 'DD_STORE_CORRUPT', message: /not Drydock's/ });
});
