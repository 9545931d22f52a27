import { Command } from 'commander';
import { relative } from 'node:path';
import { loadConfig, type Config } from '../config/config.ts';
import { connectDocker } from '../sandbox/docker-client.ts';
import { hubName } from '../sandbox/images/image-ref.ts';
import { mirrorPath, runningMirrorUrl } from '../sandbox/mirror.ts';
import { readMirrorCatalog } from '../sandbox/mirror-catalog.ts';
import { formatLabError } from '../labs/lab.ts';
import { lintLabs } from '../labs/lint.ts';
import { mirroredRefs } from '../sandbox/images/catalog.ts';

/** A path under the working folder relative to it, any other as it is. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/**
 * The images labs may use: what the mirror serves when it answers (the platform's own and those
 * added with `drydock images add`), else the platform's own. Labs must work offline, so what a
 * pull-through mirror could fetch does not count.
 */
async function providedImages(config: Config): Promise<string[]> {
  const url = await runningMirrorUrl(connectDocker(config.dockerHost)).catch(() => undefined);
  const served = url ? await readMirrorCatalog(url) : undefined;
  const names = served ?? mirroredRefs().map((r) => hubName({ path: mirrorPath(r.repository), tag: r.tag }));
  return names.map((n) => (/:[^/]+$/.test(n) ? n : `${n}:latest`));
}

/** `drydock lint [PATH]`: every problem as `file:line: message`, exit 1 when there is any. */
export function lintCommand(): Command {
  return new Command('lint')
    .description('validate labs: a labs folder, one lab folder, or one lab file')
    .argument('[path]', 'what to validate', 'labs')
    .action(async (path: string) => {
      const report = await lintLabs(path, { mirrorImages: await providedImages(loadConfig()) });
      for (const error of report.errors) console.log(formatLabError({ ...error, file: shortPath(error.file) }));
      const files = `${report.files} lab file${report.files === 1 ? '' : 's'}`;
      const count = report.errors.length;
      console.error(count ? `${count} problem${count === 1 ? '' : 's'} in ${files}` : `${files}, no problems`);
      process.exitCode = count ? 1 : 0;
    });
}
