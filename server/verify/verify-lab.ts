import type { StartedSessionBody } from '../../shared/api.ts';
import { LIMITS, type StepStatus } from '../../shared/protocol.ts';
import type { Lab, Step } from '../labs/lab.ts';
import { NodeSessionClient, startLabSession } from './node-session-client.ts';

export interface StepReport {
  title: string;
  passed: boolean;
  /** What went wrong, for a failed step; what the checks said before the solution, for a passed one. */
  detail: string;
  ms: number;
}

export interface LabReport {
  labId: string;
  passed: boolean;
  steps: StepReport[];
  /** Set when the lab could not be run at all (no session, a lost connection). */
  error?: string;
  ms: number;
}

export interface VerifyOptions {
  /** Longest wait for a step's checks to pass after its solution's last command returns. */
  stepTimeoutMs?: number;
  /** Longest wait for one solution block to return to the prompt. */
  commandTimeoutMs?: number;
  onStep?: (labId: string, step: StepReport) => void;
}

/**
 * Proves a lab the way a learner would do it: starts a session through the lab server's HTTP
 * API, opens the session's WebSocket, and for each step shows that its checks fail, types the
 * solution into the hosts' terminals, and waits for the step to turn green by itself.
 */
export async function verifyLab(baseUrl: string, lab: Lab, options: VerifyOptions = {}): Promise<LabReport> {
  const started = performance.now();
  const steps: StepReport[] = [];
  const finish = (error?: string): LabReport => ({
    labId: lab.id,
    passed: !error && steps.length === lab.steps.length && steps.every((s) => s.passed),
    steps,
    ...(error ? { error } : {}),
    ms: performance.now() - started,
  });

  let body: StartedSessionBody;
  try {
    body = await startLabSession(baseUrl, lab.id);
  } catch (err) {
    return finish(`could not start a session: ${(err as Error).message}`);
  }
  const { id } = body.session;
  let client: NodeSessionClient | undefined;
  try {
    client = await NodeSessionClient.connect(baseUrl, id, body.token);
    const terminal = new TerminalDriver(client, lab.hosts);
    await terminal.ready();
    for (const step of lab.steps) {
      const report = await verifyStep(terminal, step, options);
      steps.push(report);
      options.onStep?.(lab.id, report);
      if (!report.passed) break; // later steps build on this one
    }
    return finish();
  } catch (err) {
    return finish((err as Error).message);
  } finally {
    await client?.close();
    await fetch(`${baseUrl}/api/sessions/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${body.token}` } }).catch(() => {});
  }
}

async function verifyStep(terminal: TerminalDriver, step: Step, options: VerifyOptions): Promise<StepReport> {
  const started = performance.now();
  const report = (passed: boolean, detail: string): StepReport => ({ title: step.title, passed, detail, ms: performance.now() - started });

  const before = await terminal.checkNow(step.index);
  if (before.status === 'passed') return report(false, 'its checks pass before its solution ran: they cannot tell whether the learner did the step');
  const failures: string[] = [];
  for (const command of step.solution.commands) {
    const exitCodes = await terminal.run(command.host, command.script, options.commandTimeoutMs ?? 180_000);
    if (exitCodes.some((c) => c !== 0))
      failures.push(`in ${command.host} (line ${command.line}) a command exited with ${exitCodes.filter((c) => c !== 0).join(', ')}`);
  }
  const after = await terminal.waitForPassed(step.index, options.stepTimeoutMs ?? 20_000);
  if (after.status === 'passed') return report(true, `before the solution: ${before.message ?? 'failing'}`);
  return report(false, [after.message ?? 'its checks did not pass', ...failures].join('; '));
}

/** Types into a session's terminals and follows its step statuses, over the learner's socket. */
class TerminalDriver {
  private sentinel = 0;

  constructor(
    private readonly client: NodeSessionClient,
    private readonly hosts: readonly string[],
  ) {}

  /** Waits until every host's shell is attached and has shown its first prompt. */
  async ready(): Promise<void> {
    await this.client.waitFor(() => this.client.of('attached').length >= this.hosts.length, 'the terminals to attach', 60_000);
    for (const host of this.hosts) await this.run(host, 'true', 30_000);
  }

  /**
   * Types a script and waits until it has run: a sentinel command typed after it prints a
   * marker only when it executes (its echo differs from its output), then returns to the prompt.
   * Returns the exit codes of the commands in between.
   */
  async run(host: string, script: string, timeoutMs: number): Promise<number[]> {
    const marker = ++this.sentinel;
    const index = this.hosts.indexOf(host);
    const finishedBefore = this.finished(host).length;
    const text = `${script.replace(/\r?\n/g, '\r')}\rprintf '%s-%s\\n' drydock-verify ${marker}\r`;
    for (let at = 0; at < text.length; at += LIMITS.inputChars) this.client.input(host, text.slice(at, at + LIMITS.inputChars));
    const seen = () => this.client.text(index).includes(`drydock-verify-${marker}\r\n`);
    await this.client.waitFor(seen, `"${firstLine(script)}" to finish in ${host}`, timeoutMs);
    await this.client.waitFor(() => this.finished(host).length > finishedBefore, `the prompt in ${host}`, 10_000);
    // The last marker is the sentinel's own; everything before it came from the script.
    const codes = this.finished(host)
      .slice(finishedBefore)
      .map((m) => m.exitCode);
    return codes.slice(0, -1);
  }

  async checkNow(stepIndex: number): Promise<StepStatus> {
    const seen = this.client.of('steps').length;
    this.client.send({ type: 'check' });
    await this.client.waitFor(
      () =>
        this.client
          .of('steps')
          .slice(seen)
          .some((m) => settled(m.steps[stepIndex])),
      `the checks of step ${stepIndex + 1}`,
      30_000,
    );
    return this.latest(stepIndex);
  }

  /** Waits for the step to turn green by itself (the checks run after each command); asks again now and then. */
  async waitForPassed(stepIndex: number, timeoutMs: number): Promise<StepStatus> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.latest(stepIndex).status === 'passed') return this.latest(stepIndex);
      await this.client.waitFor(() => this.latest(stepIndex).status === 'passed', `step ${stepIndex + 1}`, 2000).catch(() => {});
      if (this.latest(stepIndex).status !== 'passed' && Date.now() < deadline) await this.checkNow(stepIndex);
    }
    return this.latest(stepIndex);
  }

  private latest(stepIndex: number): StepStatus {
    const all = this.client.of('steps');
    return all[all.length - 1]?.steps[stepIndex] ?? { status: 'pending' };
  }

  private finished(host: string) {
    return this.client.of('commandFinished').filter((m) => m.host === host);
  }
}

function settled(status: StepStatus | undefined): boolean {
  return status?.status === 'passed' || status?.status === 'failing';
}

function firstLine(script: string): string {
  const line = script.split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
