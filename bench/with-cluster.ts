/**
 * Runs another benchmark with its lab hosts on a simulated three-node Swarm instead of this
 * machine's engine, so a figure can be compared between the two in one run.
 *   npx tsx bench/with-cluster.ts bench/step-green.ts [-- its options]
 * The benchmark must build its config with testConfig() or loadConfig() (which read the cluster
 * settings set here) and start its sandbox through the server (startDrydock).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestCluster } from '../server/test-support/test-cluster.ts';

const [script, ...rest] = process.argv.slice(2);
if (!script) throw new Error('usage: tsx bench/with-cluster.ts BENCH_SCRIPT [options]');
const cluster = await startTestCluster({ nodes: 3 });
try {
  Object.assign(process.env, {
    DRYDOCK_SANDBOX: 'cluster',
    DRYDOCK_ISOLATION: 'privileged',
    DRYDOCK_CLUSTER_MANAGER: cluster.managerHost,
    DRYDOCK_CLUSTER_TLS_DIR: cluster.tlsDir,
  });
  process.argv = [process.argv[0]!, script, ...rest];
  console.log(`lab hosts on a simulated cluster: ${cluster.nodes.map((n) => `${n.name} ${n.address}`).join(', ')}`);
  await import(pathToFileURL(resolve(script)).href);
} finally {
  await cluster.close();
}
