/**
 * How fast a step turns green, and what idle sessions' checks cost.
 *   npm run bench:steps [-- --runs 20]
 * 1. Through the real server and the learner's WebSocket: the time from the command-finished
 *    marker of the command that completes a step (the prompt is back) to the `steps` message
 *    that shows it passed. Each run: a session of a one-step lab (a file must exist), the
 *    command typed into the terminal. Target: p95 ≤ 250 ms.
 * 2. CPU per timer check of an idle session (the check of a step not done yet), measured with
 *    process.cpuUsage over many checks, scaled to 300 sessions checked every
 *    checkIntervalMs. Target: under 5 % of one core.
 */
import { parseArgs } from 'node:util';
import { CheckContext, runChecks } from '../checks/index.ts';
import { inlineLab, inlineStep, labFolder, markLab } from '../server/test-support/inline-lab.ts';
import { loadLabCatalog } from '../server/labs/load.ts';
import { policyFrom } from '../server/drydock.ts';
import { startTestServer } from '../server/test-support/test-server.ts';
import { NodeSessionClient, startLabSession } from '../server/verify/node-session-client.ts';
import { summary } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

const registryLab = inlineLab(
  inlineStep({
    title: 'Run a registry',
    check: '- kind: registry-answers\n  registry: 127.0.0.1:5000',
    solution: 'docker run -d -p 5000:5000 registry',
  }),
  { id: 'registry' },
);

await using labs = await labFolder({ 'mark/lab.md': markLab(), 'registry/lab.md': registryLab });
const { labs: loaded } = await loadLabCatalog(labs.dir);
const app = await startTestServer({
  labs: loaded,
  checks: true,
  policy: { limits: { perLearner: 1, perAddress: 60, total: 1 } },
  config: { poolSize: 0 },
});
try {
  const green: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = await startLabSession(app.url, 'mark');
    const client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
    await client.waitFor(() => client.of('attached').length > 0, 'the terminal', 30_000);
    let finishedAt = 0;
    let passedAt = 0;
    client.input('node1', 'touch /root/mark\r');
    client.onMessage = (m) => {
      if (m.type === 'commandFinished' && !finishedAt) finishedAt = performance.now();
      if (m.type === 'steps' && m.steps[0]?.status === 'passed' && !passedAt) passedAt = performance.now();
    };
    await client.waitFor(() => passedAt > 0, 'the step to pass', 10_000);
    green.push(passedAt - finishedAt);
    await client.close();
    await fetch(`${app.url}/api/sessions/${started.session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${started.token}` } });
  }
  console.log(`prompt back → step green, through the server and the socket: ${summary(green)}`);

  // Idle cost: one session whose registry step is not done (the check finds nothing on 5000).
  const hosts = await app.sandbox.createHostGroup({ hostNames: ['node1'] });
  const context = new CheckContext(hosts);
  const checks = loaded.find((l) => l.id === 'registry')!.steps[0]!.checks;
  for (let i = 0; i < 20; i++) await runChecks(checks, context);
  const count = 500;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < count; i++) await runChecks(checks, context);
  const used = process.cpuUsage(cpu);
  const cpuMsPerCheck = (used.user + used.system) / 1000 / count;
  const intervalMs = policyFrom(app.config).checkIntervalMs;
  const share = (300 * cpuMsPerCheck) / intervalMs;
  console.log(
    `idle timer check (registry-answers, nothing listening): ${cpuMsPerCheck.toFixed(3)} ms CPU each ` +
      `(${((performance.now() - wall) / count).toFixed(2)} ms wall); 300 sessions every ${intervalMs / 1000} s = ${(share * 100).toFixed(2)} % of one core`,
  );
  context.close();
  await hosts.dispose();
} finally {
  await app.close();
}
