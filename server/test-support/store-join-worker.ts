/** Test support, not used in production code: one learner joining classes over its own connection, when told to go. */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../store/sqlite-store.ts';

const { file, classIds, learnerId, go } = workerData as { file: string; classIds: string[]; learnerId: string; go: SharedArrayBuffer };
const db = new Database(file, { timeout: 5000 });
db.pragma('foreign_keys = ON');
const store = new SqliteStore(db);
// Says it is ready, then waits until every worker is, so the joins really overlap.
const flags = new Int32Array(go);
Atomics.add(flags, 1, 1);
Atomics.notify(flags, 1);
Atomics.wait(flags, 0, 0);
const answers: string[] = [];
for (const classId of classIds) answers.push(await store.joinClass({ classId, learnerId, name: learnerId, joinedAt: Date.now() }));
db.close();
parentPort!.postMessage(answers);
