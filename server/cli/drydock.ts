/**
 * The instructor's command line: `npm run drydock -- lint [PATH]`, `npm run drydock -- verify [LAB...]`,
 * `npm run drydock -- images add NAME...`.
 * One module per command; this file only assembles them.
 */
import { Command } from 'commander';
import { DrydockError } from '../errors/drydock-error.ts';
import { imagesCommand } from './images-command.ts';
import { lintCommand } from './lint-command.ts';
import { verifyCommand } from './verify-command.ts';

const program = new Command('drydock')
  .description('Drydock: hands-on Docker labs in the browser')
  .addCommand(lintCommand())
  .addCommand(verifyCommand())
  .addCommand(imagesCommand());

try {
  await program.parseAsync();
} catch (err) {
  console.error(err instanceof DrydockError ? `error: ${err.message}` : err);
  process.exitCode = 2;
}
