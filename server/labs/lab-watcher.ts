import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../logging/logger.ts';
import { formatLabError } from './lab.ts';
import type { LabLibrary } from './lab-library.ts';
import { LAB_FILE, loadLab } from './load.ts';

/** Editors save in bursts (write, rename, chmod): one reload per burst. */
const SETTLE_MS = 150;

/**
 * Dev mode: reloads a lab when its file changes. A lab that no longer parses keeps its last good
 * version, and its problems are logged as file:line messages, so a half-typed edit never takes a
 * lesson away from a learner.
 */
export function watchLabs(dir: string, library: LabLibrary, log: Logger): { close(): void } {
  const pending = new Map<string, NodeJS.Timeout>();
  const reload = async (file: string) => {
    const result = await loadLab(file).catch((err: Error) => ({ lab: undefined, errors: [{ file, line: 1, message: err.message }] }));
    if (!result.lab) {
      for (const error of result.errors) log.warn(formatLabError(error));
      return;
    }
    library.replace(result.lab);
    log.info({ lab: result.lab.id }, 'lab reloaded');
  };
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, name) => {
    if (!name || basename(name) !== LAB_FILE) return;
    const file = join(dir, name);
    clearTimeout(pending.get(file));
    pending.set(file, setTimeout(() => void reload(file).finally(() => pending.delete(file)), SETTLE_MS));
  });
  watcher.on('error', (err) => log.error({ err, dir }, 'watching the labs stopped'));
  return {
    close: () => {
      watcher.close();
      for (const timer of pending.values()) clearTimeout(timer);
    },
  };
}
