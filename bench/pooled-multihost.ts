/**
 * A three-host lab with the default warm pool, as learners get it:
 * - start to every host's prompt (each terminal shows `root@NAME`), over `--starts` runs;
 * - the registry-swarm lab proved `--verifies` times in a row (its solutions typed back to back,
 *   the swarm join on each worker right after the init on the manager).
 * `npm run bench:pooled -- --starts 10 --verifies 10`
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StartedSessionBody } from '../shared/api.ts';
import { startE2eServer } from '../e2e/lab-server.ts';
import { verifyLab } from '../server/verify/verify-lab.ts';
import { NodeSessionClient } from '../server/verify/node-session-client.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { starts: { type: 'string', default: '10' }, verifies: { type: 'string', default: '10' } } });
const LAB = 'registry-swarm';
const app = await startE2eServer({
  labsDir: fileURLToPath(new URL('../labs/', import.meta.url)),
  policy: { limits: { perLearner: 1, perAddress: 60, total: 1 } },
});
try {
  const lab = app.library.get(LAB)!;
  console.log(`pool size ${app.config.poolSize}; ${lab.hosts.length} hosts: ${lab.hosts.join(', ')}`);

  const samples: number[] = [];
  for (let i = 0; i < Number(values.starts); i++) {
    await app.sandbox.poolFilled();
    const started = performance.now();
    const response = await fetch(`${app.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ labId: LAB }),
    });
    if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as StartedSessionBody;
    const client = await NodeSessionClient.connect(app.url, body.session.id, body.token);
    await client.waitFor(() => lab.hosts.every((name, index) => client.text(index).includes(`root@${name}`)), 'every prompt', 30_000);
    samples.push(performance.now() - started);
    await client.close();
    await fetch(`${app.url}/api/sessions/${body.session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${body.token}` } });
  }
  samples.sort((a, b) => a - b);
  console.log(
    `start to every prompt: p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms (${samples.length} runs)`,
  );

  let passed = 0;
  for (let i = 0; i < Number(values.verifies); i++) {
    await app.sandbox.poolFilled();
    const report = await verifyLab(app.url, lab);
    if (report.passed) passed++;
    else console.log(`run ${i + 1} failed: ${report.error ?? report.steps.find((s) => !s.passed)?.detail}`);
  }
  console.log(`${LAB} verified back to back: ${passed} of ${values.verifies} passed`);
} finally {
  await app.close();
}
