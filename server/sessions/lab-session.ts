import type { ClientMessage, EndReason, SessionState, SessionView, StepStatus } from '../../shared/protocol.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { ReceivedEvent } from '../../checks/registry/registry-event.ts';
import type { WebhookInbox } from '../webhooks/webhook-inbox.ts';
import type { Lab } from '../labs/lab.ts';
import type { Logger } from '../logging/logger.ts';
import type { HostGroup } from '../sandbox/sandbox.ts';
import { Emitter, type Unsubscribe } from '../support/emitter.ts';
import type { TerminalViewer } from './host-terminals.ts';
import type { Lifetime } from './lifetime.ts';
import type { AttachedBrowser } from './attached-browser.ts';
import type { LabPasses } from './lasting-progress.ts';
import type { SessionOwner } from './session-owner.ts';
import { tokenMatches } from './session-token.ts';
import { StepProgress, type StepResult } from './step-progress.ts';
import type { SessionRecordChange } from './session-records.ts';
import { Workbench, type WorkbenchDeps } from './workbench.ts';

/** After a command, the current step is checked at once and again after these delays. */
const FOLLOW_UP_MS = [1_000, 3_000];

export interface LabSessionDeps extends WorkbenchDeps {
  /** Registry notifications received for the session's hosts (the webhook lessons). */
  hooks?: WebhookInbox;
  /** The session's lifetime or hosts changed: its record in the store follows (see session-records.ts). */
  recordChange?: (id: string, change: SessionRecordChange) => void;
  log: Logger;
  now: () => number;
}

export interface LabSessionOptions {
  id: string;
  tokenDigest: Buffer;
  lab: Lab;
  owner: SessionOwner;
  /** The learner's earlier passes of this lab, and where new ones are recorded. */
  passes?: LabPasses;
  lifetime: Lifetime;
  /** A session a restarted server took over: when its hosts began (steps first passed since then passed in it). */
  runStartedAt?: number;
  /** Its hosts, terminals and checks, already opened (Workbench.open). */
  workbench: Workbench;
  deps: LabSessionDeps;
  /** The session ended: its manager lets it go. */
  onEnded: (session: LabSession) => void;
}

/** What happens in a session that others follow (the live class view): progress, checks, the browser, the end. */
export type SessionActivity =
  { type: 'steps' } | { type: 'checked'; index: number; result: StepResult; byLearner: boolean } | { type: 'connection' } | { type: 'ended' };

/**
 * One learner's run of a lab: its hosts with their terminals, its progress, its deadlines, and
 * the one browser attached to it. Reset swaps in fresh hosts under the same session and token.
 */
export class LabSession {
  private state: SessionState = 'ready';
  private endReason: EndReason | undefined;
  private client: AttachedBrowser | undefined;
  /** Detaches the client from the current workbench's terminals. */
  private stopViewing: Unsubscribe | undefined;
  private readonly progress: StepProgress;
  /** Absent while a reset makes a fresh one, and once the session has ended. */
  private workbench: Workbench | undefined;
  /** The hosts last worked on: still shown (as gone) after the end. */
  private hostGroup: HostGroup;
  private stopFollowing: Unsubscribe | undefined;
  private lastCheckAt: number;
  private ending: Promise<void> | undefined;
  private followUps: NodeJS.Timeout[] = [];
  /** Dev mode: a new version of the lab that waits for the next reset (its hosts or steps differ). */
  private nextLab: Lab | undefined;
  /** Read-only viewers of the terminals (an instructor): they follow the session across resets. */
  private readonly watchers = new Map<TerminalViewer, Unsubscribe | undefined>();
  private readonly activity = new Emitter<SessionActivity>();
  readonly onActivity = this.activity.event;

  readonly id: string;
  readonly owner: SessionOwner;
  readonly lifetime: Lifetime;
  private readonly tokenDigest: Buffer;
  private readonly passes: LabPasses | undefined;
  /** When the current hosts began (start or reset): a step first passed before it was passed before. */
  private runStartedAt: number;
  private currentLab: Lab;
  private readonly deps: LabSessionDeps;
  private readonly onEnded: (session: LabSession) => void;

  constructor(options: LabSessionOptions) {
    ({ id: this.id, tokenDigest: this.tokenDigest, lab: this.currentLab, lifetime: this.lifetime, deps: this.deps, onEnded: this.onEnded } = options);
    this.hostGroup = options.workbench.hosts;
    this.lastCheckAt = this.deps.now();
    ({ owner: this.owner, passes: this.passes } = options);
    this.runStartedAt = options.runStartedAt ?? this.deps.now();
    this.progress = new StepProgress({
      stepCount: this.currentLab.steps.length,
      verify: this.deps.checker && ((index) => this.verifyStep(index)),
      onChange: (steps) => {
        this.recordPasses(steps);
        this.client?.message({ type: 'steps', steps: [...this.steps] });
        this.activity.fire({ type: 'steps' });
      },
      onError: (err) => this.deps.log.error({ err, session: this.id }, 'step checks failed to run'),
      onResult: (index, result, byLearner) => this.activity.fire({ type: 'checked', index, result, byLearner }),
    });
    this.use(options.workbench);
  }

  get isEnded(): boolean {
    return this.state === 'ended';
  }

  get isConnected(): boolean {
    return this.client !== undefined;
  }

  /** The steps' statuses, each with when it first passed before this run of the hosts. */
  get steps(): readonly StepStatus[] {
    return this.progress.view.map((status, index) => {
      const at = this.passes?.earlier(this.currentLab.steps[index]?.id ?? '');
      return at !== undefined && at < this.runStartedAt ? { ...status, passedBefore: at } : status;
    });
  }

  /** Its hosts and their addresses (the port proxy reaches services there). */
  get hosts(): HostGroup {
    return this.hostGroup;
  }

  get learnerId(): string {
    return this.owner.learnerId;
  }

  tokenMatches(token: string): boolean {
    return tokenMatches(this.tokenDigest, token);
  }

  get lab(): Lab {
    return this.currentLab;
  }

  /**
   * Dev mode: the lab's file changed. With the same hosts and steps the session switches to the
   * new version at once (text, checks, hints) and re-checks; otherwise the next reset takes it.
   */
  labUpdated(lab: Lab): void {
    if (this.state === 'ended' || lab.id !== this.currentLab.id) return;
    const applied = sameShape(lab, this.currentLab);
    if (applied) {
      this.currentLab = lab;
      this.workbench?.useLab(lab);
      this.progress.check('timer');
    } else {
      this.nextLab = lab;
    }
    this.client?.message({ type: 'labUpdated', labId: lab.id, applied });
  }

  /** Registry notifications arrived from this session's hosts: show them, and the step may be done. */
  registryEvents(received: readonly ReceivedEvent[]): void {
    this.client?.message({ type: 'registryEvents', events: received.map((r) => ({ receivedAt: r.receivedAt, event: r.event })) });
    this.progress.check('command');
  }

  /** A command returned to the prompt in one of the terminals: the current step may be done. */
  commandFinished(): void {
    this.progress.check('command');
    // A command often starts something that needs a moment (a registry container): look again shortly.
    this.clearFollowUps();
    this.followUps = FOLLOW_UP_MS.map((ms) => setTimeout(() => this.progress.check('timer'), ms).unref());
  }

  /**
   * Checks again now and then while a browser is attached, for changes that come from elsewhere
   * (a container that exits, a service that finishes starting).
   */
  checkIfDue(intervalMs: number): void {
    if (this.client && this.state === 'ready' && this.deps.now() - this.lastCheckAt >= intervalMs) this.progress.check('timer');
  }

  view(): SessionView {
    const gone = this.state === 'ended';
    return {
      id: this.id,
      labId: this.lab.id,
      state: this.state,
      ...(this.endReason ? { endReason: this.endReason } : {}),
      hosts: this.hostGroup.hosts.map((h) => {
        if (gone) return { name: h.name, state: 'gone' };
        if (this.state === 'resetting') return { name: h.name, state: 'starting' };
        const problem = this.hostGroup.stopped.get(h.name);
        return problem ? { name: h.name, state: 'stopped', problem } : { name: h.name, state: 'ready' };
      }),
      expiresAt: this.lifetime.expiresAt,
      maxExpiresAt: this.lifetime.maxExpiresAt,
      serverNow: this.deps.now(),
    };
  }

  /** Attaches a browser; one that was attached before is told it was replaced. */
  connect(client: AttachedBrowser): void {
    if (this.state === 'ended') {
      client.message({ type: 'ended', reason: this.endReason ?? 'ended' });
      return;
    }
    const previous = this.client;
    this.client = client;
    previous?.message({ type: 'ended', reason: 'replaced' });
    this.touch();
    this.activity.fire({ type: 'connection' });
    client.message({ type: 'session', session: this.view() });
    client.message({ type: 'steps', steps: [...this.steps] });
    const events = this.deps.hooks?.events(this.hostGroup.id) ?? [];
    if (events.length > 0) client.message({ type: 'registryEvents', events: events.map((r) => ({ receivedAt: r.receivedAt, event: r.event })) });
    this.showTerminals();
  }

  disconnect(client: AttachedBrowser): void {
    if (this.client !== client) return;
    this.stopViewing?.();
    this.stopViewing = undefined;
    this.client = undefined;
    this.touch();
    this.activity.fire({ type: 'connection' });
  }

  /** A message from the instructor, shown in the learner's lab view; false when no browser is attached to show it. */
  notify(text: string): boolean {
    this.client?.message({ type: 'notice', text, sentAt: this.deps.now() });
    return this.client !== undefined;
  }

  /**
   * Shows the terminals to a read-only viewer (an instructor watching): their recent output, then
   * everything that follows, outside the learner's flow control. Nothing comes back from it.
   */
  watch(viewer: TerminalViewer): Unsubscribe {
    this.watchers.set(viewer, this.workbench?.terminals.watch(viewer));
    return () => {
      this.watchers.get(viewer)?.();
      this.watchers.delete(viewer);
    };
  }

  /** Acts on a validated message from the attached browser. */
  handle(client: AttachedBrowser, message: ClientMessage): void {
    if (this.client !== client) return;
    if (message.type !== 'ack') this.touch();
    if (message.type === 'check') return this.progress.check('manual');
    const terminals = this.workbench?.terminals;
    if (!terminals) {
      client.message({ type: 'error', code: 'DD_SESSION_BUSY', message: `the session is ${this.state}; terminals are not available` });
      return;
    }
    try {
      const terminal = terminals.get(message.host);
      if (message.type === 'input') terminal.input(message.encoding === 'base64' ? Buffer.from(message.data, 'base64') : message.data);
      else if (message.type === 'ack') terminal.ack(message.bytes);
      else if (message.type === 'resize') terminal.resize(message).catch((err) => this.deps.log.debug({ err }, 'resize failed'));
      else terminals.restart(message.host).catch((err) => this.report(client, err));
    } catch (err) {
      this.report(client, err);
    }
  }

  touch(): void {
    this.lifetime.touch(this.deps.now());
  }

  extend(): void {
    this.assertLive();
    this.lifetime.extend(this.deps.now());
    this.deps.recordChange?.(this.id, { expiresAt: this.lifetime.expiresAt, maxExpiresAt: this.lifetime.maxExpiresAt });
    this.broadcastView();
  }

  /** Replaces every host with a fresh one and clears the progress; the token stays valid. */
  async reset(): Promise<void> {
    this.assertLive();
    if (this.state === 'resetting') throw new DrydockError('DD_SESSION_BUSY', 'this session is already being reset');
    this.state = 'resetting';
    this.touch();
    this.broadcastView();
    const old = this.release();
    this.runStartedAt = this.deps.now();
    this.progress.reset();
    if (this.nextLab) {
      this.currentLab = this.nextLab;
      this.nextLab = undefined;
      this.progress.resize(this.currentLab.steps.length);
    }
    let fresh: Workbench;
    try {
      await old?.dispose();
      fresh = await Workbench.open(this.lab, this.deps);
      if (this.isEnded) {
        // Ended while the new hosts were starting: they must not outlive the session.
        await fresh.dispose();
        return;
      }
      this.use(fresh);
      this.deps.recordChange?.(this.id, { hostGroupId: fresh.hosts.id, hostNames: fresh.hosts.hosts.map((h) => h.name) });
    } catch (err) {
      await this.end('ended');
      throw new DrydockError('DD_HOST_NOT_READY', 'the fresh lab hosts could not be started; the session has ended', { cause: err });
    }
    this.state = 'ready';
    this.broadcastView();
    this.showTerminals();
  }

  /**
   * A session a restarted server took over: the steps passed in it before the restart are passed
   * again, and the current one is checked at once (the learner may have finished it meanwhile).
   */
  resume(): void {
    const passed = this.currentLab.steps.flatMap((step, index) => ((this.passes?.earlier(step.id) ?? -1) >= this.runStartedAt ? [index] : []));
    this.progress.restorePassed(passed);
    this.progress.check('timer');
  }

  /**
   * The server is stopping and keeps this session for its next start (its record stays in the
   * store): the hosts and their shells keep running, and the browser is told to reconnect.
   */
  async suspend(): Promise<void> {
    if (this.ending) return;
    this.ending = Promise.resolve();
    this.clearFollowUps();
    const client = this.client;
    this.client = undefined;
    await this.release()?.dispose({ keepHosts: true });
    client?.message({ type: 'restarting' });
  }

  /** Ends the session and removes its hosts. Safe to call more than once. */
  end(reason: EndReason): Promise<void> {
    this.ending ??= (async () => {
      this.state = 'ended';
      this.clearFollowUps();
      this.endReason = reason;
      const workbench = this.release();
      const client = this.client;
      this.client = undefined;
      this.onEnded(this);
      this.activity.fire({ type: 'ended' });
      try {
        await workbench?.dispose();
      } finally {
        client?.message({ type: 'session', session: this.view() });
        client?.message({ type: 'ended', reason });
        this.deps.log.info({ session: this.id, lab: this.lab.id, reason }, 'session ended');
      }
    })();
    return this.ending;
  }

  /** Works on this workbench from now on: its finished commands check the step, its stopped hosts are reported. */
  private use(workbench: Workbench): void {
    this.workbench = workbench;
    this.hostGroup = workbench.hosts;
    this.stopFollowing = workbench.terminals.onCommandFinished(({ host, exitCode }) => {
      this.client?.message({ type: 'commandFinished', host, exitCode });
      this.commandFinished();
    });
    this.watchHosts(workbench.hosts);
    for (const viewer of this.watchers.keys()) this.watchers.set(viewer, workbench.terminals.watch(viewer));
  }

  /** Stops working on the current workbench and hands it over for disposal. */
  private release(): Workbench | undefined {
    const workbench = this.workbench;
    this.workbench = undefined;
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    this.stopViewing = undefined;
    return workbench;
  }

  /** The attached browser sees the current workbench's terminals (replacing what it saw). */
  private showTerminals(): void {
    const client = this.client;
    if (!client || !this.workbench) return;
    const viewer: TerminalViewer = {
      attached: (host, index, restored) => client.message({ type: 'attached', host, index, ...(restored ? { restored } : {}) }),
      output: (index, chunks) => client.output(index, chunks),
      exited: (host) => client.message({ type: 'exited', host }),
    };
    this.stopViewing = this.workbench.terminals.view(viewer);
  }

  /** A host that dies on its own takes its work with it: say so, and that a reset brings fresh hosts. */
  private watchHosts(hosts: HostGroup): void {
    hosts.onHostStopped((name, why) => {
      if (hosts !== this.hostGroup || this.state !== 'ready') return;
      this.deps.log.warn({ session: this.id, host: name, why }, 'lab host stopped');
      this.broadcastView();
      this.client?.message({
        type: 'error',
        code: 'DD_HOST_STOPPED',
        message: `Lab host ${name} stopped: ${why}. What was in it is lost; reset the lab to continue with fresh hosts.`,
      });
    });
  }

  private clearFollowUps(): void {
    for (const timer of this.followUps) clearTimeout(timer);
    this.followUps = [];
  }

  /** Steps passing now are recorded (the first pass of each is kept beyond the session). */
  private recordPasses(steps: readonly StepStatus[]): void {
    steps.forEach((status, index) => {
      const step = this.currentLab.steps[index];
      if (status.status === 'passed' && step) this.passes?.passed(step.id);
    });
  }

  private verifyStep(index: number): Promise<StepResult> {
    this.lastCheckAt = this.deps.now();
    if (!this.workbench) return Promise.resolve({ passed: false, message: 'the lab hosts are starting; try again in a moment' });
    return this.workbench.verify(index);
  }

  private assertLive(): void {
    if (this.state === 'ended') throw new DrydockError('DD_SESSION_ENDED', 'this session has ended; start the lab again');
  }

  private broadcastView(): void {
    this.client?.message({ type: 'session', session: this.view() });
  }

  private report(client: AttachedBrowser, err: unknown): void {
    if (err instanceof DrydockError) client.message({ type: 'error', code: err.code, message: err.message });
    else {
      this.deps.log.error({ err, session: this.id }, 'terminal request failed');
      client.message({ type: 'error', code: 'DD_INTERNAL', message: 'the request failed; see the server log' });
    }
  }
}

function sameShape(a: Lab, b: Lab): boolean {
  return a.steps.length === b.steps.length && a.hosts.join() === b.hosts.join();
}
