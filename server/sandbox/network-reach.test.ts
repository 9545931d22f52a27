import assert from 'node:assert/strict';
import { hubPortOf } from '../config/config.ts';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer, testOwner } from '../test-support/test-server.ts';
import { testLab } from '../test-support/test-lab.ts';
import { sh } from '../test-support/sandbox.ts';
import { connectDocker } from './docker-client.ts';
import { MIRROR_CONTAINER } from './mirror.ts';
import { ENGINE_API_PORT } from '../../shared/platform.ts';
import type { LabHost, HostGroup } from './sandbox.ts';
import { inRange } from './subnets.ts';

// From inside a lab host, try every address this machine has and every address of the other
// session and of the mirror, on the ports that matter, and list what answers. The list must be
// exactly: the host's own session and the mirror (on this session's network), plus the webhook
// port on the gateway. Not the lab server, its metrics, the engine, another session, or any other
// service of the machine.
describe('what a lab host can reach', { timeout: 180_000 }, () => {
  const lab = testLab({ id: 'reach-lab', hosts: ['node1', 'node2'] });
  const other = testLab({ id: 'reach-other', hosts: ['node1'] });
  let app: TestServer;
  let mine: HostGroup;
  let theirs: HostGroup;
  const machineService = createServer((_req, res) => res.end('a service of the machine'));

  before(async () => {
    // The lab server on every address, as an operator serving other machines would run it.
    app = await startTestServer({ labs: [lab, other], config: { listenAddress: '0.0.0.0' } });
    machineService.listen(0, '0.0.0.0');
    await once(machineService, 'listening');
    const start = async (labId: string, client: string) => {
      const { session, token } = await app.sessions.start(labId, testOwner(client));
      return app.sessions.authorize(session.id, token).hosts;
    };
    mine = await start(lab.id, 'learner-a');
    theirs = await start(other.id, 'learner-b');
  });
  after(async () => {
    machineService.close();
    await app?.close();
  });

  test('its own session, the mirror, the webhook and Docker Hub stand-in ports, and nothing else', async () => {
    const names = new Map<string, string>();
    for (const [name, addresses] of Object.entries(networkInterfaces())) {
      for (const a of addresses ?? []) {
        if (a.family !== 'IPv4' || a.internal) continue;
        // Other sessions' gateways are the machine too; there, hosts may reach only the webhook port.
        names.set(a.address, inRange(a.address, app.config.subnetPool) ? 'another-gateway' : `machine(${name})`);
      }
    }
    names.set(mine.gateway, 'gateway');
    for (const host of mine.hosts) names.set(host.address, `mine/${host.name}`);
    for (const host of theirs.hosts) names.set(host.address, `theirs/${host.name}`);
    const mirror = await connectDocker(app.config.dockerHost).getContainer(MIRROR_CONTAINER).inspect();
    for (const [network, { IPAddress, Gateway }] of Object.entries(mirror.NetworkSettings.Networks)) {
      if (IPAddress) names.set(IPAddress, Gateway === mine.gateway ? 'mirror(mine)' : `mirror(${network})`);
    }
    const mirrorPublished = Number(mirror.NetworkSettings.Ports['5000/tcp']?.[0]?.HostPort);
    const ports = new Map<number, string>([
      [Number(new URL(app.url).port), 'lab-server'],
      [app.config.hooksPort, 'hooks'],
      [hubPortOf(app.config), 'hub'],
      // The engine's Docker Hub: the host's own NAT sends its gateway's 443 to the stand-in.
      [443, 'https'],
      [(machineService.address() as AddressInfo).port, 'other-service'],
      [mirrorPublished, 'mirror-published'],
      [ENGINE_API_PORT, 'engine-api'],
      [5000, 'registry'],
      [22, 'ssh'],
    ]);
    const node1 = mine.host('node1');
    // The host's own addresses answer from the host itself (its nested engine's docker0 may even
    // share the machine's 172.17.0.1), so they say nothing about reach.
    for (const own of (await sh(node1, "ip -4 -o addr show | awk '{print $4}' | cut -d/ -f1")).split('\n')) names.delete(own);
    // Something listening on the registry port in the neighbour host, as a lesson's registry would.
    await sh(mine.host('node2'), 'nohup socat TCP-LISTEN:5000,fork,reuseaddr EXEC:true >/dev/null 2>&1 &');

    const reached = await reachable(node1, [...names.keys()], [...ports.keys()]);
    const listed = [...new Set(reached.map(({ address, port }) => `${names.get(address)}:${ports.get(port)}`))].sort();
    assert.deepEqual(listed, [
      'another-gateway:hooks',
      'another-gateway:hub',
      'gateway:hooks',
      'gateway:https',
      'gateway:hub',
      'mine/node2:engine-api',
      'mine/node2:registry',
      'mirror(mine):registry',
    ]);
  });

  test('not even with a route of its own through the mirror or the gateway', async () => {
    const node1 = mine.host('node1');
    const target = theirs.host('node1');
    const mirrorAddress = (await sh(node1, 'getent hosts drydock-mirror | cut -d" " -f1')).trim();
    for (const via of [mirrorAddress, mine.gateway]) {
      await sh(node1, `ip route replace ${target.address}/32 via ${via}`);
      const reached = await reachable(node1, [target.address], [ENGINE_API_PORT]);
      assert.deepEqual(reached, [], `routed via ${via}, node1 reached the other session's host`);
    }
    await sh(node1, `ip route del ${target.address}/32`);
  });
});

/** Every address:port that accepts a TCP connection from inside `host` within a second. */
async function reachable(host: LabHost, addresses: string[], ports: number[]): Promise<{ address: string; port: number }[]> {
  const probes = addresses.flatMap((a) => ports.map((p) => `${a}:${p}`));
  const script = `for t in "$@"; do (timeout 1 bash -c "exec 3<>/dev/tcp/\${t%:*}/\${t#*:}" 2>/dev/null && echo "$t") & done; wait`;
  const { stdout } = await host.exec(['bash', '-c', script, 'probe', ...probes]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ address: line.slice(0, line.lastIndexOf(':')), port: Number(line.slice(line.lastIndexOf(':') + 1)) }));
}
