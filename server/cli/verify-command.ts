import { Command, InvalidArgumentError } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformBody } from '../../shared/api.ts';
import { loadConfig } from '../config/config.ts';
import { startDrydock } from '../drydock.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { describeFacts, PLATFORM_FACTS, type PlatformFacts } from '../labs/facts.ts';
import { formatLabError, type Lab } from '../labs/lab.ts';
import { labForFacts } from '../labs/lab-for-facts.ts';
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
  /** A running Drydock to prove instead of a private one (its URL): as a learner uses it. */
  server?: string;
  /** Labs proved at once (default 1). Each lab's lines are then printed together when it ends. */
  jobs?: number;
}

/** Where the labs are proved: the server's URL, each lab as that server teaches it, and the clean-up. */
interface VerifyTarget {
  url: string;
  facts: PlatformFacts;
  /** The lab as the server teaches it, or why it cannot be proved there. */
  lab(lab: Lab): Promise<Lab | string>;
  close(): Promise<void>;
}

/**
 * Proves each lab as a learner would, through a lab server: a private one on a free loopback port
 * (which it stops afterwards), or a running deployment (`server`). Every session it starts, it
 * ends. Returns one report per lab.
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
  const jobs = Math.min(options.jobs ?? 1, labs.length);
  const target = options.server ? await remoteTarget(options.server) : await privateTarget(labs, options.poolSize, jobs);
  const reports: LabReport[] = [];
  // Labs with `:::when` blocks are proved in the variant of the server's machine only: say which.
  options.print(`${options.server ? `server ${target.url}; ` : ''}platform facts: ${describeFacts(target.facts)}`);
  try {
    const queue = labs.entries();
    const worker = async () => {
      for (const [index, lab] of queue) {
        const lines: string[] = [];
        // One at a time, lines go out as they come; side by side, each lab's go out together.
        const print = jobs === 1 ? options.print : (line: string) => lines.push(line);
        reports[index] = await proveLab(target, lab, print);
        lines.forEach((line) => options.print(line));
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    await target.close();
  }
  options.print(formatSummary(reports));
  return reports;
}

async function proveLab(target: VerifyTarget, lab: Lab, print: (line: string) => void): Promise<LabReport> {
  print(formatLabHeader(lab.id));
  const taught = await target.lab(lab);
  const report =
    typeof taught === 'string'
      ? { labId: lab.id, passed: false, steps: [], error: taught, ms: 0 }
      : await verifyLab(target.url, taught, { onStep: (_id, step) => print(formatStep(step)) });
  if (report.error) print(`  ✖ ${report.error}`);
  return report;
}

async function privateTarget(labs: readonly Lab[], poolSize: number | undefined, jobs: number): Promise<VerifyTarget> {
  // A store of its own: verify's learners and passes are not the deployment's.
  const dataDir = await mkdtemp(join(tmpdir(), 'drydock-verify-'));
  const config = loadConfig(process.env, {
    dataDir,
    owner: 'drydock-verify',
    port: 0,
    portsPort: 0,
    listenAddress: '127.0.0.1',
    // The warm pool stays at its default: learners get pooled hosts, so that is what verify proves.
    ...(poolSize === undefined ? {} : { poolSize }),
    sessionsPerLearner: jobs,
    sessionsTotal: jobs,
    // Not the default port, so a verify run works beside a running Drydock server.
    hooksPort: 18_089,
  });
  const drydock = await startDrydock({ config, log: createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'warn'), labs, webRoot: '/nonexistent' });
  return {
    url: drydock.url,
    facts: drydock.library.facts,
    lab: async (lab) => drydock.library.get(lab.id)!,
    close: async () => {
      await drydock.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A deployment: its solutions and checks come from the local lab files, taught with the facts the
 * server reports, so the files must be the ones it serves.
 */
async function remoteTarget(server: string): Promise<VerifyTarget> {
  const url = server.replace(/\/+$/, '');
  const facts = await fetchFacts(url);
  return {
    url,
    facts,
    lab: async (lab) => {
      const response = await fetch(`${url}/api/labs/${encodeURIComponent(lab.id)}`);
      if (response.status === 404) return `the server at ${url} has no lab "${lab.id}"`;
      if (!response.ok) return `the server at ${url} answered ${response.status} for lab "${lab.id}"`;
      return labForFacts(lab, facts);
    },
    close: async () => {},
  };
}

async function fetchFacts(url: string): Promise<PlatformFacts> {
  const response = await fetch(`${url}/api/platform`).catch((cause: unknown) => {
    throw new DrydockError('DD_BAD_REQUEST', `no Drydock server answers at ${url}: ${(cause as Error).message}`, { cause });
  });
  const body = (response.ok ? await response.json().catch(() => undefined) : undefined) as Partial<PlatformBody> | undefined;
  const facts = body?.facts;
  if (!facts || !PLATFORM_FACTS.every((fact) => typeof facts[fact] === 'boolean')) {
    throw new DrydockError(
      'DD_BAD_REQUEST',
      `the server at ${url} does not say its platform facts (GET /api/platform answered ${response.status}): is it a Drydock server of this version?`,
    );
  }
  return Object.fromEntries(PLATFORM_FACTS.map((fact) => [fact, facts[fact]!])) as PlatformFacts;
}

/** `drydock verify [LAB...] [--server URL]`: exit 1 when any lab fails, 2 when the labs cannot be loaded. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('prove labs end to end: for each step, its checks fail, its solution is typed into the terminals, its checks pass')
    .argument('[labs...]', 'lab ids (default: every lab)')
    .option('--labs-dir <dir>', 'the labs folder', 'labs')
    .option('--jobs <n>', 'labs proved at once', (value) => parseJobs(value), 1)
    .option(
      '--server <url>',
      'prove a running Drydock (e.g. http://127.0.0.1:8080) through its public API, as a learner would, instead of a private server',
    )
    .action(async (labIds: string[], opts: { labsDir: string; server?: string; jobs: number }) => {
      const reports = await runVerify({ labsDir: opts.labsDir, labIds, server: opts.server, jobs: opts.jobs, print: (line) => console.log(line) });
      process.exitCode = !reports ? 2 : reports.every((r) => r.passed) ? 0 : 1;
    });
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) throw new InvalidArgumentError('a whole number from 1 to 16');
  return jobs;
}
