import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the gauges read at scrape time. */
export interface MetricSources {
  /** The state of every running session (ready, resetting). */
  sessionStates(): readonly string[];
  /** Lab hosts of running sessions. */
  hostCount(): number;
  /** Ready hosts waiting in the warm pool. */
  poolSize(): number;
}

/**
 * The server's Prometheus metrics (GET /metrics). Domain modules get the one method they need
 * (`sessionStarted`, `checkRan`, ...), not the registry, so they stay free of prom-client.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly sessionStart: Histogram<'from_pool'>;
  private readonly checkLatency: Histogram<'kind'>;
  private readonly terminalBytes: Counter<'direction'>;
  private readonly errors: Counter<'code'>;

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'drydock_process_' });
    new Gauge({
      name: 'drydock_sessions',
      help: 'Running sessions by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>([
          ['ready', 0],
          ['resetting', 0],
        ]);
        for (const state of sources.sessionStates()) counts.set(state, (counts.get(state) ?? 0) + 1);
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'drydock_hosts',
      help: 'Lab hosts by place: in a session or waiting in the warm pool',
      labelNames: ['place'],
      registers: [this.registry],
      collect() {
        this.set({ place: 'session' }, sources.hostCount());
        this.set({ place: 'pool' }, sources.poolSize());
      },
    });
    this.sessionStart = new Histogram({
      name: 'drydock_session_start_seconds',
      help: 'Time from a start request to every host of the session ready',
      labelNames: ['from_pool'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30],
      registers: [this.registry],
    });
    this.checkLatency = new Histogram({
      name: 'drydock_check_seconds',
      help: 'Time one step check took, by kind',
      labelNames: ['kind'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 3],
      registers: [this.registry],
    });
    this.terminalBytes = new Counter({
      name: 'drydock_terminal_bytes_total',
      help: 'Terminal bytes: output sent to browsers, input typed by learners',
      labelNames: ['direction'],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'drydock_errors_total',
      help: 'Errors answered to clients (HTTP and WebSocket), by code',
      labelNames: ['code'],
      registers: [this.registry],
    });
  }

  sessionStarted(ms: number, pooledHosts: number): void {
    this.sessionStart.observe({ from_pool: pooledHosts > 0 ? 'yes' : 'no' }, ms / 1000);
  }

  checkRan(kind: string, ms: number): void {
    this.checkLatency.observe({ kind }, ms / 1000);
  }

  terminalOutput(bytes: number): void {
    this.terminalBytes.inc({ direction: 'out' }, bytes);
  }

  terminalInput(bytes: number): void {
    this.terminalBytes.inc({ direction: 'in' }, bytes);
  }

  errorAnswered(code: string): void {
    this.errors.inc({ code });
  }
}
