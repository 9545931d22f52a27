import { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { startDrydock } from '../drydock.ts';
import { describeFacts } from '../labs/facts.ts';
import { formatLabError, type Lab } from '../labs/lab.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { createLogger } from '../logging/logger.ts';
import { verifyLab, type LabReport } from '../verify/verify-lab.ts';
import { formatLabHeader, formatStep, formatSummary } from '../verify/verify-report.ts';

export interface VerifyRunOptions {
  labsDir: string;
  labIds: readonly string[];
  print: (line: string) => void;
  /** The warm pool of the private server: the default unless a test proves the pool-off path. */
  poolSize?: number;
}

/**
 * Starts a private lab server on a free loopback port, proves each lab through it as a learner
 * would, and ends every session it started. Returns one report per lab.
 */
export async function runVerify(options: VerifyRunOptions): Promise<LabReport[] | undefined> {
  const catalog = await loadLabCatalog(options.labsDir);
  // Problems in labs that were not asked for do not stop the ones that were.
  const errors = catalog.errors.filter((e) => !options.labIds.length || options.labIds.some((id) => e.file.includes(`/${id}/`)));
  for (const error of errors) options.print(formatLabError(error));
  if (errors.length > 0) return undefined;
  const unknown = options.labIds.filter((id) => !catalog.labs.some((l) => l.id === id));
  if (unknown.length > 0) {
    options.print(`no lab ${unknown.join(', ')} in ${options.labsDir} (there are: ${catalog.labs.map((l) => l.id).join(', ')})`);
    return undefined;
  }
  const labs: Lab[] = options.labIds.length ? catalog.labs.filter((l) => options.labIds.includes(l.id)) : [...catalog.labs];
  const config = loadConfig(process.env, {
    owner: 'drydock-verify',
    port: 0,
    listenAddress: '127.0.0.1',
    // The warm pool stays at its default: learners get pooled hosts, so that is what verify proves.
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    sessionsPerClient: 1,
    sessionsTotal: 1,
    // Not the default port, so a verify run works beside a running Drydock server.
    hooksPort: 18_089,
  });
  const drydock = await startDrydock({ config, log: createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'warn'), labs, webRoot: '/nonexistent' });
  const reports: LabReport[] = [];
  // Labs with `:::when` blocks are proved in this machine's variant only: say which.
  options.print(`platform facts: ${describeFacts(drydock.library.facts)}`);
  try {
    for (const lab of labs) {
      options.print(formatLabHeader(lab.id));
      // The lab as this machine teaches it: its solutions and checks are those of its facts.
      const taught = drydock.library.get(lab.id)!;
      reports.push(await verifyLab(drydock.url, taught, { onStep: (_id, step) => options.print(formatStep(step)) }));
      const last = reports[reports.length - 1]!;
      if (last.error) options.print(`  ✖ ${last.error}`);
    }
  } finally {
    await drydock.close();
  }
  options.print(formatSummary(reports));
  return reports;
}

/** `drydock verify [LAB...]`: exit 1 when any lab fails, 2 when the labs cannot be loaded. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('prove labs end to end: for each step, its checks fail, its solution is typed into the terminals, its checks pass')
    .argument('[labs...]', 'lab ids (default: every lab)')
    .option('--labs-dir <dir>', 'the labs folder', 'labs')
    .action(async (labIds: string[], opts: { labsDir: string }) => {
      const reports = await runVerify({ labsDir: opts.labsDir, labIds, print: (line) => console.log(line) });
      process.exitCode = !reports ? 2 : reports.every((r) => r.passed) ? 0 : 1;
    });
}
