import { Command } from 'commander';
import { relative } from 'node:path';
import { loadConfig } from '../config/config.ts';
import { formatLabError } from '../labs/lab.ts';
import { lintLabs } from '../labs/lint.ts';
import { mirroredRefs } from '../sandbox/images/catalog.ts';

/** A path under the working folder relative to it, any other as it is. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** `drydock lint [PATH]`: every problem as `file:line: message`, exit 1 when there is any. */
export function lintCommand(): Command {
  return new Command('lint')
    .description('validate labs: a labs folder, one lab folder, or one lab file')
    .argument('[path]', 'what to validate', 'labs')
    .action(async (path: string) => {
      const config = loadConfig();
      // A seeded mirror has only the platform's images; a pull-through cache has any.
      const mirrorImages = config.mirrorUpstream ? undefined : mirroredRefs().map((r) => `${r.repository}:${r.tag}`);
      const report = await lintLabs(path, { mirrorImages });
      for (const error of report.errors) console.log(formatLabError({ ...error, file: shortPath(error.file) }));
      const files = `${report.files} lab file${report.files === 1 ? '' : 's'}`;
      const count = report.errors.length;
      console.error(count ? `${count} problem${count === 1 ? '' : 's'} in ${files}` : `${files}, no problems`);
      process.exitCode = count ? 1 : 0;
    });
}
