import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runVerify } from '../cli/verify-command.ts';
import { inlineLab, inlineStep, labFolder } from '../test-support/inline-lab.ts';

const step = (title: string, check: string, solution: string) => inlineStep({ title, check, solution });

// `drydock verify` through a real lab server, real terminals and real checks.
test('verify passes a lab whose solutions do the steps, and fails labs that cannot be proven', { timeout: 300_000 }, async () => {
  await using labs = await labFolder({
    'good/lab.md': inlineLab(
      step('A file', '- kind: file-exists\n  path: /root/done\n  contains: ^yes', 'echo yes > /root/done') +
        step('A registry', '- kind: registry-answers\n  registry: 127.0.0.1:5000', 'docker run -d -p 5000:5000 --name registry registry:2'),
      { id: 'good' },
    ),
    // The solution runs the registry on another port than the check asks for.
    'wrong-solution/lab.md': inlineLab(
      step('A registry', '- kind: registry-answers\n  registry: 127.0.0.1:5000', 'docker run -d -p 5001:5000 --name registry registry:2'),
      { id: 'wrong-solution' },
    ),
    // A check that holds before the learner does anything proves nothing.
    'check-always-passes/lab.md': inlineLab(step('Nothing', '- kind: command\n  run: "true"', 'echo done'), { id: 'check-always-passes' }),
  });
  const lines: string[] = [];
  const reports = await runVerify({ labsDir: labs.dir, labIds: [], print: (l) => lines.push(l) });
  assert.ok(reports, lines.join('\n'));
  const byId = Object.fromEntries(reports.map((r) => [r.labId, r]));

  assert.equal(byId.good!.passed, true, lines.join('\n'));
  assert.equal(byId.good!.steps.length, 2);

  assert.equal(byId['wrong-solution']!.passed, false);
  assert.match(byId['wrong-solution']!.steps[0]!.detail, /127\.0\.0\.1:5000/);

  assert.equal(byId['check-always-passes']!.passed, false);
  assert.match(byId['check-always-passes']!.steps[0]!.detail, /pass before its solution ran/);

  assert.equal(lines.at(-1)!.split('\n').at(-1), '1 passed, 2 failed');
});
