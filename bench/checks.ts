/**
 * Check evaluation time on a real session.
 *   npm run bench:checks [-- --runs 200]
 * Targets (issue 4): a registry-API check ≤ 20 ms p95, an engine-state check ≤ 50 ms p95.
 * One lab host runs a registry on 5000 with hello-world pushed; each check is evaluated `runs`
 * times in a row through one CheckContext (keep-alive, as a session's checks are), after a
 * warm-up. Results go to stdout; BENCHMARKS.md records them with the method.
 */
import { parseArgs } from 'node:util';
import { CheckContext } from '../checks/check-context.ts';
import { check } from '../checks/test-support/check-runner.ts';
import { sh, startTestSandbox, testConfig } from '../server/test-support/sandbox.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

const REGISTRY = { registry: '127.0.0.1:5000' };
const cases: { group: 'registry' | 'engine'; kind: string; params: Record<string, unknown> }[] = [
  { group: 'registry', kind: 'registry-answers', params: REGISTRY },
  { group: 'registry', kind: 'registry-has-repo', params: { ...REGISTRY, repository: 'hello-world' } },
  { group: 'registry', kind: 'registry-has-tag', params: { ...REGISTRY, repository: 'hello-world', tag: 'latest' } },
  { group: 'registry', kind: 'registry-has-tag', params: { ...REGISTRY, repository: 'hello-world', image: 'hello-world' } },
  { group: 'engine', kind: 'container-running', params: { name: 'registry', image: 'registry', publish: '5000:5000', restart: 'always' } },
  { group: 'engine', kind: 'image-present', params: { image: '127.0.0.1:5000/hello-world' } },
  { group: 'engine', kind: 'daemon-config', params: { mirrors: 'http://drydock-mirror:5000' } },
  { group: 'engine', kind: 'swarm-active', params: { role: 'manager', nodes: 1 } },
];

/** Milliseconds with one decimal: these checks take a few of them. */
function summary(samples: readonly number[]): string {
  const f = (p: number) => percentile(samples, p).toFixed(1);
  return `n=${samples.length} p50=${f(50)}ms p95=${f(95)}ms max=${Math.max(...samples).toFixed(1)}ms`;
}

const sandbox = await startTestSandbox(testConfig());
try {
  const session = await sandbox.createHostGroup({ hostNames: ['node1'] });
  await sh(
    session.host('node1'),
    'docker run -d --name registry --restart always -p 5000:5000 registry && ' +
      'for i in $(seq 50); do curl -sf localhost:5000/v2/ >/dev/null && break; sleep 0.1; done && ' +
      'docker pull -q hello-world && docker tag hello-world 127.0.0.1:5000/hello-world && docker push -q 127.0.0.1:5000/hello-world && ' +
      `docker swarm init --advertise-addr ${session.host('node1').address} >/dev/null`,
  );
  using context = new CheckContext(session);
  console.log(`check evaluation, ${runs} runs each after 20 warm-up runs, one keep-alive context`);
  const byGroup = new Map<string, number[]>();
  for (const c of cases) {
    const cold = await check(context, c.kind, c.params);
    if (!cold.passed) throw new Error(`${c.kind} does not pass: ${cold.message}`);
    for (let i = 0; i < 20; i++) await check(context, c.kind, c.params);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push((await check(context, c.kind, c.params)).ms);
    byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), ...samples]);
    const label = `${c.kind}${c.params.image && c.group === 'registry' ? ' (+image)' : ''}`;
    console.log(`  ${c.group.padEnd(8)} ${label.padEnd(26)} first=${cold.ms.toFixed(1)}ms ${summary(samples)}`);
  }
  for (const [group, samples] of byGroup) console.log(`all ${group} checks: ${summary(samples)}`);
  await session.dispose();
} finally {
  await sandbox.close();
}
