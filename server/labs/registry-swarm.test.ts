import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { CheckTarget } from '../../checks/check-kind.ts';
import { swarmService as swarmServiceSpec } from '../../checks/engine/engine-types.ts';
import { swarmService } from '../../checks/kinds/swarm-service.ts';
import { labForFacts } from './lab-for-facts.ts';
import type { Lab } from './lab.ts';
import { parseLab } from './parse-lab.ts';
import { renderMarkdown } from './render.ts';

// This machine has no IPVS, so `drydock verify registry-swarm` proves only the host-mode lesson.
// The routing-mesh lesson is proved here as far as it can be without IPVS: its text, its
// solution, and its checks against the service its solution makes.
const FILE = new URL('../../labs/registry-swarm/lab.md', import.meta.url);
const REACH = 'Reach it at 127.0.0.1:5000 on every node';

async function swarmLab(ipvs: boolean): Promise<Lab> {
  const { lab, errors } = parseLab('labs/registry-swarm/lab.md', await readFile(FILE, 'utf8'));
  assert.deepEqual(errors, []);
  return labForFacts(lab!, { ipvs });
}

/** A manager whose engine holds one service, as `docker service inspect` would show it, with its task running. */
function managerWith(service: unknown): CheckTarget {
  const parsed = swarmServiceSpec.parse(service);
  return {
    host: { name: 'manager' },
    engine: {
      info: async () => ({ Swarm: { ControlAvailable: true } }),
      services: async () => [parsed],
      tasks: async () => [{ ID: 't1', NodeID: 'n1', DesiredState: 'running', Status: { State: 'running' } }],
    },
  } as unknown as CheckTarget;
}

/** The registry service after step 2 and then `--publish-add published=P,target=T[,mode=M]`. */
function registryPublished(published: number, target: number, mode: string) {
  return {
    ID: 'svc1',
    Spec: {
      Name: 'registry',
      TaskTemplate: { ContainerSpec: { Image: 'registry:2@sha256:abc' }, Placement: { Constraints: ['node.labels.registry==true'] } },
      Mode: { Replicated: { Replicas: 1 } },
    },
    Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: target, PublishedPort: published, PublishMode: mode }] },
  };
}

describe('registry-swarm on machines with and without IPVS', () => {
  test('with IPVS it publishes the registry through the routing mesh', async () => {
    const lab = await swarmLab(true);
    const step = lab.steps.find((s) => s.title === REACH)!;
    assert.match(renderMarkdown(lab.intro), /has IPVS, so here you use the routing mesh/);
    assert.doesNotMatch(renderMarkdown(step.markdown), /has no IPVS\*\*|registry-proxy|:::/);
    const [command, ...others] = step.solution.commands;
    assert.deepEqual(others, []);
    const publish = /--publish-add published=(\d+),target=(\d+)(,mode=\w+)?/.exec(command!.script);
    assert.ok(publish && !publish[3], `the solution publishes in the default (ingress) mode: ${command!.script}`);
    assert.match(command!.script, /--endpoint-mode vip/);
    assert.ok(!lab.steps.some((s) => s.solution.commands.some((c) => /registry-proxy/.test(c.script))), 'no proxy anywhere');

    const service = step.checks.find((c) => c.kind === 'swarm-service')!;
    const made = managerWith(registryPublished(Number(publish[1]), Number(publish[2]), 'ingress'));
    assert.deepEqual(await swarmService.run(service.params as never, made), { passed: true, message: 'the service registry runs 1 task' });
    const hostMode = managerWith(registryPublished(5000, 5000, 'host'));
    assert.equal((await swarmService.run(service.params as never, hostMode)).passed, false, 'a host-mode publish is not the mesh');
    assert.deepEqual(step.checks.filter((c) => c.kind === 'registry-answers').map((c) => c.host), ['manager', 'worker1', 'worker2']);
  });

  test('without IPVS it runs a proxy on every node in host mode', async () => {
    const lab = await swarmLab(false);
    const step = lab.steps.find((s) => s.title === REACH)!;
    assert.match(renderMarkdown(lab.intro), /lacks IPVS/);
    assert.match(renderMarkdown(step.markdown), /The kernel of this machine has no IPVS/);
    assert.ok(step.solution.commands.some((c) => /--mode global[\s\S]*--publish published=5000,target=5000,mode=host/.test(c.script)));
    assert.deepEqual(step.checks.map((c) => [c.kind, c.params.name ?? c.host]), [
      ['swarm-service', 'registry-proxy'],
      ['registry-answers', 'manager'],
      ['registry-answers', 'worker1'],
      ['registry-answers', 'worker2'],
    ]);
    assert.deepEqual(step.hints.map((h) => h.title), ['nothing answers on a node', 'the proxy answers 502 Bad Gateway']);
  });
});
