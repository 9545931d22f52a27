import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { connectDocker } from './docker-client.ts';
import type { DockerSandbox } from './docker-sandbox.ts';
import { hostCreateOptions } from './host-spec.ts';
import { LABHOST_IMAGE } from './images/catalog.ts';
import { labelsFor } from './labels.ts';
import type { HostGroup, LabHost } from './sandbox.ts';
import { ESCAPE_PROBES } from '../test-support/escape-probes.ts';
import { ENGINE_SOCKETS } from '../config/config.ts';
import { startTestSandbox, testConfig } from '../test-support/sandbox.ts';

/**
 * The escape suite: each probe runs as root inside lab hosts. It must be refused on a
 * user-namespaced host, both the one learners get and one given every capability (so the user
 * namespace alone is shown to refuse it), and it must succeed on an unremapped host with every
 * capability in the machine's PID, network and cgroup namespaces, on the machine's own engine (the control run:
 * without it a refusal would prove nothing). Every probe leaves the machine as it found it
 * (test-support/escape-probes.ts). Runs on the engine Drydock owns (scripts/engine.sh), as
 * learners' hosts do by default, and, for the control, on the machine's own engine.
 */
const config = testConfig();
const MACHINE_ENGINE = ENGINE_SOCKETS.privileged;
/**
 * Probes that even the machine's root cannot carry out on this machine, so that no control run
 * can succeed: nothing to refuse (each reason says why). On other machines they run.
 */
const MACHINE_CANNOT: Record<string, string | false> = {
  'load a kernel module': !existsSync('/proc/modules') && 'this kernel has no module support (no /proc/modules)',
  "read the machine's block device": machineCannotReadBlockDevice(),
};

function machineCannotReadBlockDevice(): string | false {
  const device = readdirSync('/sys/block').find((d) => !/^(loop|ram|zram)/.test(d));
  if (!device) return 'the machine has no block device';
  try {
    closeSync(openSync(`/dev/${device}`, 'r'));
    return false;
  } catch (err) {
    return `the machine's own root may not read /dev/${device} (${(err as Error).message})`;
  }
}

let sandbox: DockerSandbox;
let group: HostGroup;
let docker: Docker;
const machine = connectDocker(MACHINE_ENGINE);
/** The lab host a learner gets: remapped, with the capabilities host-spec.ts gives. */
let learnerHost: LabHost;
/** Remapped, with every capability the machine allows. */
let wideRemapped: Docker.Container;
/** Unremapped, with every capability the machine allows, in the machine's PID namespace. */
let control: Docker.Container;

/**
 * A container of the lab-host image with a host's options and every capability the machine
 * allows, apart from any session network. Its process is `sleep`, not drydock-init: in the
 * machine's PID namespace drydock-init's shutdown would signal the machine's own engines.
 */
async function probeContainer(engine: Docker, name: string, options: Partial<Docker.HostConfig>): Promise<Docker.Container> {
  const spec = hostCreateOptions(config, {
    containerName: `drydock-${config.owner}-${name}`,
    hostName: name,
    network: 'none',
    labels: labelsFor(config.owner, 'host'),
  });
  delete spec.NetworkingConfig;
  spec.Entrypoint = ['sleep', 'infinity'];
  spec.HostConfig = { ...spec.HostConfig, CapDrop: ['SYS_RESOURCE'], ExtraHosts: [], DnsOptions: [], ...options };
  const container = await engine.createContainer(spec);
  await container.start();
  return container;
}

/** The control runs on the machine's engine, which may not have the lab-host image: copy it there once. */
async function ensureImageOnMachine(): Promise<void> {
  const present = await machine
    .getImage(LABHOST_IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!present) await machine.loadImage(await docker.getImage(LABHOST_IMAGE).get());
}

async function run(target: LabHost | Docker.Container, script: string): Promise<{ exitCode: number; output: string }> {
  if ('containerId' in target) {
    const r = await target.exec(['bash', '-c', script]);
    return { exitCode: r.exitCode, output: r.stdout + r.stderr };
  }
  const exec = await target.exec({ Cmd: ['bash', '-c', script], AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  await new Promise((resolve) => stream.on('end', resolve));
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

async function pidOf(engine: Docker, containerId: string): Promise<number> {
  return (await engine.getContainer(containerId).inspect()).State.Pid;
}

describe('escapes from a lab host', { concurrency: 1 }, () => {
  before(async () => {
    sandbox = await startTestSandbox(config);
    docker = connectDocker(config.dockerHost);
    group = await sandbox.createHostGroup({ hostNames: ['node1'] });
    learnerHost = group.host('node1');
    wideRemapped = await probeContainer(docker, 'wide-remapped', {});
    await ensureImageOnMachine();
    control = await probeContainer(machine, 'control', { PidMode: 'host', NetworkMode: 'host', CgroupnsMode: 'host' } as Partial<Docker.HostConfig>);
  });

  after(async () => {
    await Promise.all([wideRemapped, control].map((c) => c?.remove({ force: true }).catch(() => {})));
    await group?.dispose();
    await sandbox?.close();
  });

  test('the engine refuses to put a remapped host in the machine PID namespace', async () => {
    await assert.rejects(probeContainer(docker, 'pid-host', { PidMode: 'host' }), /user namespaces|PID namespace/i);
  });

  for (const probe of ESCAPE_PROBES) {
    test(probe.name, { skip: MACHINE_CANNOT[probe.name] ?? false }, async () => {
      const worked = await run(control, probe.script);
      assert.equal(worked.exitCode, 0, `the control run (unremapped, every capability) must succeed, or the probe proves nothing:\n${worked.output}`);
      for (const [what, host] of [
        ["the learner's host", learnerHost],
        ['a remapped host with every capability', wideRemapped],
      ] as const) {
        const refused = await run(host, probe.script);
        assert.notEqual(refused.exitCode, 0, `${what}: the escape worked:\n${refused.output}`);
      }
    });
  }

  test('a file made by root in a host belongs to an unprivileged uid on the machine', async () => {
    const owner = async (target: LabHost | Docker.Container, engine: Docker, containerId: string) => {
      await run(target, 'touch /root/probe-owner');
      return (await stat(`/proc/${await pidOf(engine, containerId)}/root/root/probe-owner`)).uid;
    };
    assert.equal(await owner(control, machine, control.id), 0, 'the control run: root in an unremapped host is the machine root');
    const uid = await owner(learnerHost, docker, learnerHost.containerId);
    assert.ok(uid >= 65_536, `root in a lab host is uid ${uid} on the machine`);
  });

  test("the machine's Docker engines answer on no socket in the host", async () => {
    const engines = await Promise.all([MACHINE_ENGINE, config.dockerHost].map(async (s) => ((await connectDocker(s).info()) as { ID: string }).ID));
    // A socket bind-mounted onto a file is listed as the file its mount point was (find trusts the
    // directory entry), so every empty file is looked at too.
    const find = `find / \\( -path /proc -o -path /sys \\) -prune -o \\( -type s -o -type f -size 0 \\) -print 2>/dev/null |
      while read -r s; do [ -S "$s" ] && curl -s --max-time 2 --unix-socket "$s" http://engine/info | jq -r '.ID // empty' 2>/dev/null; done`;
    const withSocket = await probeContainer(machine, 'socket', { Binds: [`${MACHINE_ENGINE}:/machine-engine.sock`] });
    try {
      const seen = (await run(withSocket, find)).output;
      assert.ok(
        engines.some((id) => seen.includes(id)),
        `the control run must find the engine bind-mounted into it:\n${seen}`,
      );
    } finally {
      await withSocket.remove({ force: true });
    }
    const seen = (await run(learnerHost, find)).output;
    for (const id of engines) assert.ok(!seen.includes(id), `an engine of the machine answers inside the host:\n${seen}`);
  });
});
