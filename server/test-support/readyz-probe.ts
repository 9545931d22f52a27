/**
 * Test support, not used in production code: /readyz latency as a load balancer sees it, one
 * request every `intervalMs` on a fixed schedule (a slow answer delays no later request).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function sampleReadyz(baseUrl: string, options: { durationMs: number; intervalMs?: number }): Promise<number[]> {
  const interval = options.intervalMs ?? 50;
  const start = performance.now();
  const requests: Promise<number>[] = [];
  for (let i = 0; i * interval < options.durationMs; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAt = performance.now();
    requests.push(
      fetch(`${baseUrl}/readyz`).then(async (res) => {
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`/readyz answered ${res.status}`);
        return performance.now() - sentAt;
      }),
    );
  }
  return Promise.all(requests);
}
