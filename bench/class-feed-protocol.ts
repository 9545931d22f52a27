/** Benchmark support: what bench/class-feed.ts and its server process (class-feed-server.ts) say to each other. */
export const BENCH_SECRET = 'class feed bench secret';

export type ToServer = { type: 'step'; learner: number } | { type: 'cpu' } | { type: 'writes' } | { type: 'close' };

export type FromServer =
  | { type: 'ready'; url: string; classId: string; learners: string[] }
  | { type: 'driven'; learner: number; stepIndex: number; at: number }
  | { type: 'cpu'; micros: number }
  | { type: 'writes'; ms: number[] };

/** The same clock in both processes: epoch milliseconds with a fraction. */
export const epochNow = () => performance.timeOrigin + performance.now();
