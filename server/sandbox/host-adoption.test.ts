import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../logging/logger.ts';
import { connectDocker } from './docker-client.ts';
import { DockerSandbox } from './docker-sandbox.ts';
import type { HostGroup, LabHost, Shell } from './sandbox.ts';
import { ownedResources, sh, startTestSandbox, testConfig } from '../test-support/sandbox.ts';

/** A shell with everything it printed, and a way to wait for a line of it. */
async function openShell(
  host: LabHost,
): Promise<{ shell: Shell; text: () => string; exited: Promise<void>; until: (text: string) => Promise<void> }> {
  const shell = await host.openShell({ cols: 120, rows: 30 });
  let output = '';
  shell.onData((chunk) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => shell.onExit(resolve));
  const until = async (text: string) => {
    for (const deadline = Date.now() + 15_000; !output.includes(text); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`the shell never printed ${JSON.stringify(text)}; it printed:\n${output.slice(-800)}`);
    }
  };
  return { shell, text: () => output, exited, until };
}

// The learner's shell outlives the server's connection to it, and a restarted server takes the hosts over.
describe('shells and hosts that outlive the server', { timeout: 240_000 }, () => {
  // Hosts from a warm pool, which tries again until they are ready: a busy machine starts engines slowly.
  const config = testConfig({ poolSize: 2 });
  const log = createLogger(process.env.DRYDOCK_LOG_LEVEL ?? 'silent');
  let first: DockerSandbox;
  let group: HostGroup;

  before(async () => {
    first = await startTestSandbox(config);
    await first.poolFilled();
    group = await first.createHostGroup({ hostNames: ['node1', 'node2'] });
  });

  after(async () => {
    await first?.close();
  });

  test("a shell opened again is the same bash, with what it runs; dtach's own screen clear is not shown", async () => {
    const one = await openShell(group.host('node1'));
    one.shell.write('SHELL_MARK=kept-$((6*7)); sleep 600 & echo ready-1\r');
    await one.until('ready-1');
    one.shell.close(); // what a server that goes away does to the exec's connection
    const two = await openShell(group.host('node1'));
    two.shell.write('echo "mark=$SHELL_MARK jobs=$(jobs | wc -l)"\r');
    await two.until('mark=kept-42 jobs=1');
    assert.ok(!two.text().startsWith('\x1b[H\x1b[J'), `starts with: ${JSON.stringify(two.text().slice(0, 20))}`);
    two.shell.close();
  });

  test('`exit` ends the shell even with a job in the background, and the next shell is a new bash', async () => {
    const one = await openShell(group.host('node2'));
    one.shell.write('SHELL_MARK=old; sleep 600 & echo ready-2\r');
    await one.until('ready-2');
    one.shell.write('exit\r');
    await Promise.race([one.exited, new Promise((_, reject) => setTimeout(() => reject(new Error('the shell did not end')), 10_000))]);
    assert.doesNotMatch(one.text(), /dtach terminating/, "dtach's end notice is not shown");
    const two = await openShell(group.host('node2'));
    two.shell.write('echo "mark=[$SHELL_MARK]"\r');
    await two.until('mark=[]');
    two.shell.close();
  });

  test('a restarted sandbox adopts a recorded group: the same containers, addresses and shells; the rest is swept', async () => {
    const recorded = { hostGroupId: group.id, hostNames: ['node1', 'node2'] };
    const before = group.hosts.map((h) => `${h.name} ${h.containerId} ${h.address}`);
    await first.poolFilled();
    const gone = await first.createHostGroup({ hostNames: ['node1'] });
    const goneRecord = { hostGroupId: gone.id, hostNames: ['node1'] };
    await first.poolFilled(); // nothing being made as it stops
    const oldPool = (await ownedResources(config)).filter((r) => r.endsWith('-pooled'));
    assert.ok(oldPool.length > 0, 'a warm pool was waiting');
    await first.close({ keepHosts: true });
    await connectDocker(config.dockerHost).getContainer(gone.host('node1').containerId).remove({ force: true });

    const second = await DockerSandbox.start(config, log, [recorded, goneRecord]);
    try {
      const adopted = await second.adoptHostGroup(recorded);
      assert.ok(adopted, 'the group is adopted');
      assert.deepEqual(
        adopted.hosts.map((h) => `${h.name} ${h.containerId} ${h.address}`),
        before,
      );
      const shell = await openShell(adopted.host('node1'));
      shell.shell.write('echo "mark=$SHELL_MARK"; ps -eo ppid=,args= | grep -c "^ *0 dtach"\r');
      await shell.until('mark=kept-42');
      await shell.until('\r\n1\r\n');
      shell.shell.close();
      assert.equal((await sh(adopted.host('node2'), 'getent hosts node1 | wc -l')).trim(), '1', 'names resolve as before');

      assert.equal(await second.adoptHostGroup(goneRecord), undefined, 'a group with a host gone is not adopted');
      const left = await ownedResources(config);
      assert.ok(!left.some((r) => r.includes(gone.id)), `what was left of it is removed: ${left.join(', ')}`);
      assert.ok(!left.some((r) => oldPool.includes(r)), `the old pool was swept: ${oldPool.join(', ')}`);
    } finally {
      await second.close();
    }
    assert.deepEqual(await ownedResources(config), []);
  });
});
