import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../../bench/stats.ts';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { measureEcho } from '../test-support/echo-probe.ts';
import { sh } from '../test-support/sandbox.ts';
import { NodeSessionClient } from '../verify/node-session-client.ts';
import { connectDocker } from './docker-client.ts';
import type { LabHost } from './sandbox.ts';

const LIMITS = { hostMemoryMib: 512, hostDiskMib: 192, hostPids: 300, hostCpus: 1 };
const MIB = 1024 * 1024;

// One session misbehaves in every way at once: a `yes` flood in its terminal (through the server,
// acknowledged as fast as a browser would), a disk filler, a memory hog and a fork bomb. Each must
// stop at that session's own limit, and a quiet session's keystroke echo must stay within twice
// what it was before.
describe('noisy neighbours are contained by their own limits', { timeout: 240_000 }, () => {
  const lab = testLab({ id: 'noisy-lab', hosts: ['node1'] });
  let app: TestServer;
  let noisyHost: LabHost;
  let noisy: NodeSessionClient;
  let quiet: NodeSessionClient;

  before(async () => {
    app = await startTestServer({ labs: [lab], config: LIMITS, policy: { limits: { perLearner: 2, perAddress: 60, total: 2 } } });
    const connect = async (client: string) => {
      const { session, token } = await app.sessions.start(lab.id, testOwner(client));
      const socket = await NodeSessionClient.connect(app.url, session.id, token, { keepOutput: false });
      await socket.waitFor(() => socket.of('attached').length === 1, 'the terminal');
      return { socket, host: app.sessions.authorize(session.id, token).hosts.host('node1') };
    };
    const n = await connect('noisy');
    noisy = n.socket;
    noisyHost = n.host;
    quiet = (await connect('quiet')).socket;
    await sleep(500); // the prompts settle
  });
  after(async () => {
    await noisy?.close();
    await quiet?.close();
    await app?.close();
  });

  const echoMedian = async () => {
    const { echo, unmatched } = await measureEcho(quiet, 'node1', { keys: 60, intervalMs: 40 });
    assert.equal(unmatched, 0, 'every key echoed');
    return percentile(echo, 50);
  };

  test('all four at once: each stops at its limit, and the quiet session echoes within twice its baseline', async (t) => {
    const baseline = await echoMedian();
    // Read before the fork bomb: once it holds every process slot, nothing more can start in the host.
    const diskMib = Number((await sh(noisyHost, 'df -m --output=size / | tail -1')).trim());

    noisy.input('node1', 'yes drydock-noisy-neighbour\r');
    // Both run to their end inside the host: the filler until the disk is full, the hog until it is killed.
    const filler = noisyHost.exec(['bash', '-c', `dd if=/dev/zero of=/root/fill bs=1M count=${LIMITS.hostDiskMib + 64} 2>&1; echo "exit $?"`]);
    const hog = noisyHost.exec(['bash', '-c', `x=$(head -c ${LIMITS.hostMemoryMib * 2}M /dev/zero | tr "\\0" a); echo \${#x}`]);
    await sleep(500);
    await sh(noisyHost, "nohup setsid bash -c ':(){ :|:& };:' >/dev/null 2>&1 &");
    await sleep(2_000);

    const during = await echoMedian();
    const pids = (await hostStats(app, noisyHost)).pids_stats.current;
    const flooded = noisy.received[0] ?? 0;
    const [filled, hogged] = await Promise.all([filler, hog]);
    t.diagnostic(
      `echo p50 ${baseline.toFixed(2)} ms quiet, ${during.toFixed(2)} ms during the noise; bomb at ${pids} processes; ${(flooded / MIB).toFixed(0)} MiB flooded`,
    );

    assert.ok(
      pids <= LIMITS.hostPids && pids > LIMITS.hostPids * 0.7,
      `the fork bomb is held at the host's limit of ${LIMITS.hostPids} processes (now ${pids})`,
    );
    assert.ok(flooded > 5 * MIB, `the flood really ran: ${flooded} bytes reached its browser`);
    assert.match(filled.stdout, /No space left on device/, `the filler meets the host's disk limit:\n${filled.stdout}`);
    assert.ok(Math.abs(diskMib - LIMITS.hostDiskMib) <= 2, `the host's disk is ${diskMib} MiB, its limit ${LIMITS.hostDiskMib}`);
    assert.notEqual(
      hogged.exitCode,
      0,
      `the hog cannot hold ${LIMITS.hostMemoryMib * 2} MiB in a ${LIMITS.hostMemoryMib} MiB host: ${hogged.stdout}`,
    );
    assert.ok(
      during <= 2 * baseline,
      `quiet session's echo: p50 ${during.toFixed(2)} ms during the noise, ${baseline.toFixed(2)} ms before (allowed: twice)`,
    );
  });

  test('the quiet session works as before; the noisy one has its full disk and memory to itself', async () => {
    quiet.input('node1', 'docker version --format "engine {{.Server.Version}}"\r');
    await quiet.waitFor(() => quiet.of('commandFinished').length > 0, 'the command to finish', 20_000);
    assert.equal(quiet.of('commandFinished').at(-1)?.exitCode, 0);
    const { memory_stats } = await hostStats(app, noisyHost);
    assert.ok(memory_stats.usage <= LIMITS.hostMemoryMib * MIB, `the noisy host stays within its memory: ${memory_stats.usage} bytes`);
  });
});

/** A host's processes and memory as the machine's engine counts them (the host itself may have no process to spare). */
async function hostStats(app: TestServer, host: LabHost): Promise<{ pids_stats: { current: number }; memory_stats: { usage: number } }> {
  const stats = await connectDocker(app.config.dockerHost).getContainer(host.containerId).stats({ stream: false });
  return stats as unknown as { pids_stats: { current: number }; memory_stats: { usage: number } };
}
