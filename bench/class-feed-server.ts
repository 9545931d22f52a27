/**
 * Benchmark support (bench/class-feed.ts runs it as a child process, so its CPU is the server's
 * alone): the real lab server, store (SQLite) and classroom, over stand-in lab hosts. A stand-in
 * host's shell prints nothing but the "command finished" mark when the driver says a learner
 * finished a command, and a stand-in checker passes as many steps as the learner has done; from
 * the mark on, the step change takes the real path (terminal → session → step progress → class
 * feed → event stream). Not production code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClassroom } from '../server/classes/classroom.ts';
import { loadConfig } from '../server/config/config.ts';
import { policyFrom } from '../server/drydock.ts';
import { libraryBodies } from '../server/http/lab-bodies.ts';
import { LabLibrary } from '../server/labs/lab-library.ts';
import type { Lab } from '../server/labs/lab.ts';
import { LearnerProgress } from '../server/learners/learner-progress.ts';
import { startLabServer } from '../server/lab-server.ts';
import { createLogger } from '../server/logging/logger.ts';
import type { HostGroup, LabHost, Sandbox, Shell } from '../server/sandbox/sandbox.ts';
import { SessionManager } from '../server/sessions/session-manager.ts';
import { StepChecker, type HostChecks } from '../server/sessions/step-checker.ts';
import { openStore } from '../server/store/open-store.ts';
import type { Store } from '../server/store/store.ts';
import { testLab } from '../server/test-support/test-lab.ts';
import { BENCH_SECRET, epochNow, type FromServer, type ToServer } from './class-feed-protocol.ts';

const MARK = Buffer.from('\x1b]133;D;0\x07');

class StandInShell implements Shell {
  private readonly listeners: ((chunk: Buffer) => void)[] = [];
  readonly inputBacklog = 0;
  onData(listener: (chunk: Buffer) => void): void {
    this.listeners.push(listener);
  }
  onExit(): void {}
  write(): void {}
  async resize(): Promise<void> {}
  pause(): void {}
  resume(): void {}
  close(): void {}
  /** A command returned to the prompt: the mark the lab host's bash prints. */
  commandFinished(): void {
    for (const l of this.listeners) l(MARK);
  }
}

/** Lab hosts that are only a shell: what the class feed needs of them. */
class StandInSandbox {
  readonly shells = new Map<string, StandInShell>();
  private next = 0;
  readonly kernel = { ipvs: false } as Sandbox['kernel'];

  async createHostGroup(request: { hostNames: readonly string[] }): Promise<HostGroup & { timings: { readyMs: number; pooled: number } }> {
    const id = `stand-in-${this.next++}`;
    const shell = new StandInShell();
    this.shells.set(id, shell);
    const hosts: LabHost[] = request.hostNames.map((name) => ({
      name,
      containerId: id,
      address: '10.255.0.1',
      exec: () => Promise.reject(new Error('a stand-in host runs nothing')),
      openShell: async () => shell,
    }));
    return {
      id,
      hosts,
      gateway: '10.255.0.254',
      stopped: new Map(),
      onHostStopped: () => {},
      host: (name) => hosts.find((h) => h.name === name)!,
      dispose: async () => {},
      [Symbol.asyncDispose]: async () => {},
      timings: { readyMs: 0, pooled: 0 },
    };
  }
}

/** Passes as many steps as the driver says the host group's learner has done. */
class StandInChecker extends StepChecker {
  readonly done = new Map<string, number>();
  override forHosts(lab: Lab, hosts: HostGroup): HostChecks {
    return {
      verify: async (index) =>
        index < (this.done.get(hosts.id) ?? 0) ? { passed: true, message: 'done' } : { passed: false, message: `step ${index + 1} is not done yet` },
      close: () => {},
    };
  }
}

/** Times every first-pass write the sessions make to the real store. */
function timedStore(store: Store, writes: number[]): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'recordStepPassed' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<boolean>).apply(target, args);
        } finally {
          writes.push(performance.now() - start);
        }
      };
    },
  });
}

async function main(): Promise<void> {
  const learnerCount = Number(process.env.BENCH_LEARNERS ?? 300);
  const steps = Number(process.env.BENCH_STEPS ?? 6);
  const log = createLogger('warn');
  const dataDir = await mkdtemp(join(tmpdir(), 'drydock-class-feed-'));
  const config = loadConfig({}, { port: 0, portsPort: 0, instructorSecret: BENCH_SECRET, dataDir });
  const writes: number[] = [];
  const realStore = openStore(dataDir, log);
  const store = timedStore(realStore, writes);
  const lab = testLab({ id: 'feed-bench', steps });
  const library = new LabLibrary([lab], { ipvs: false });
  const sandbox = new StandInSandbox();
  const checker = new StandInChecker(log);
  const progress = new LearnerProgress({ store, labs: library, log });
  const sessions = new SessionManager({
    sandbox: sandbox as unknown as Sandbox,
    labs: library,
    checker,
    progress,
    policy: { ...policyFrom(config), limits: { perLearner: 1, perAddress: 1, total: learnerCount + 10 } },
    log,
  });
  const classroom = await openClassroom({ config, store, sessions, labs: library, log });
  const server = await startLabServer(
    {
      sessions,
      labs: libraryBodies(library, (md) => md),
      config,
      log,
      webRoot: '/nonexistent',
      allowedOrigins: [],
      unready: async () => undefined,
      facts: library.facts,
      store,
      progress,
      classroom,
    },
    { port: 0, address: '127.0.0.1' },
  );
  const klass = await classroom.classes.create({ title: 'Bench', labIds: [lab.id], seats: learnerCount, opensAt: null, closesAt: null });
  const learners: string[] = [];
  const groups: string[] = [];
  for (let i = 0; i < learnerCount; i++) {
    const learnerId = `bench-learner-${i}`;
    await store.ensureLearner(learnerId, Date.now());
    await classroom.classes.join(learnerId, klass.code, `Learner ${i}`);
    const { session } = await sessions.start(lab.id, { learnerId, address: `10.1.${i >> 8}.${i & 255}` });
    learners.push(learnerId);
    groups.push(session.hosts.id);
  }
  writes.length = 0;
  const send = (m: FromServer) => process.send!(m);
  process.on('message', (m: ToServer) => {
    if (m.type === 'step') {
      const group = groups[m.learner]!;
      const done = (checker.done.get(group) ?? 0) + 1;
      checker.done.set(group, done);
      send({ type: 'driven', learner: m.learner, stepIndex: done, at: epochNow() });
      sandbox.shells.get(group)!.commandFinished();
    } else if (m.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', micros: user + system });
    } else if (m.type === 'writes') {
      send({ type: 'writes', ms: writes.splice(0) });
    } else {
      void (async () => {
        classroom.close();
        await sessions.close();
        await server.close();
        await realStore.close();
        await rm(dataDir, { recursive: true, force: true });
        process.exit(0);
      })();
    }
  });
  send({ type: 'ready', url: server.url, classId: klass.id, learners });
}

await main();
