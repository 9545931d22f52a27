import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inlineLab, lineOf, parseInline, problems } from '../test-support/inline-lab.ts';

const STEP = `
  ## Run a registry

  Start it:

  \`\`\`bash node1
  docker run -d -p 5000:5000 --name registry registry
  \`\`\`

  \`\`\`check
  - kind: registry-answers
    registry: 127.0.0.1:5000
  \`\`\`

  ### Hint
  Publish the port.

  ### Hint: still stuck?
  Use \`-p 5000:5000\`.

  ### Solution
  \`\`\`bash node1
  docker run -d -p 5000:5000 --name registry registry
  \`\`\`
`;

describe('parsing a lab', () => {
  test('a valid lab becomes frozen, typed data', () => {
    const { lab, errors } = parseInline(inlineLab(`\n  Intro text.\n${STEP}`, { images: '[registry]', tags: '[registry]' }));
    assert.deepEqual(errors, []);
    assert.ok(lab);
    assert.equal(lab.intro, 'Intro text.');
    assert.deepEqual(lab.hosts, ['node1']);
    assert.equal(lab.durationMinutes, 5);
    assert.equal(lab.stepCount, 1);
    const step = lab.steps[0]!;
    assert.equal(step.id, 'run-a-registry');
    assert.equal(step.title, 'Run a registry');
    assert.doesNotMatch(step.markdown, /```check|### Hint|Solution/, 'the text has no checks, hints or solution');
    assert.match(step.markdown, /^Start it:\n\n```bash node1\n/);
    assert.deepEqual(step.checks.map((c) => [c.kind, c.host, c.params, c.title]), [
      ['registry-answers', 'node1', { registry: '127.0.0.1:5000', tls: false }, 'a registry answers on 127.0.0.1:5000'],
    ]);
    assert.deepEqual(step.hints.map((h) => [h.title, h.markdown]), [
      [undefined, 'Publish the port.'],
      ['still stuck?', 'Use `-p 5000:5000`.'],
    ]);
    assert.deepEqual(step.solution.commands.map((c) => [c.host, c.script]), [['node1', 'docker run -d -p 5000:5000 --name registry registry']]);
    assert.ok(Object.isFrozen(lab) && Object.isFrozen(step.checks[0]!.params), 'deeply frozen');
  });

  test('line numbers are those of the file', () => {
    const source = inlineLab(STEP);
    const { lab } = parseInline(source);
    assert.equal(lab!.steps[0]!.line, lineOf(source, '## Run a registry'));
    assert.equal(lab!.steps[0]!.checks[0]!.line, lineOf(source, '- kind: registry-answers'));
    assert.equal(lab!.steps[0]!.solution.commands[0]!.line, lineOf(source, '```bash node1', lineOf(source, '### Solution')));
  });

  test('without front matter', () => {
    assert.deepEqual(problems(parseInline('# A lab\n')), [
      '1: a lab file starts with front matter: a `---` line, YAML (id, title, summary, level, duration, hosts), and a closing `---` line',
      '2: a lab needs at least one step: a `## Title` heading with text, a check block and a solution',
    ]);
  });

  test('bad front matter names the key and its line', () => {
    const source = inlineLab(STEP, { titel: 'x', level: 'expert', summary: undefined, hosts: '[Node_1]' });
    assert.deepEqual(problems(parseInline(source)), [
      '2: front matter: missing key "summary"',
      `${lineOf(source, 'level:')}: front matter: "level": expected one of "beginner"|"intermediate"|"advanced"`,
      `${lineOf(source, 'hosts:')}: front matter: "hosts": host name "Node_1" is not valid: use lower-case letters, digits and dashes, starting with a letter (at most 31)`,
      `${lineOf(source, 'titel:')}: front matter: unknown key "titel" (did you mean "title"?)`,
    ]);
  });

  test('a YAML error in the front matter', () => {
    const source = inlineLab(STEP, { tags: '[a, b' });
    const [first] = problems(parseInline(source));
    assert.match(first!, new RegExp(`^${lineOf(source, 'tags:')}: front matter: YAML: `));
  });

  test('the id must be the folder name, and images must be in the mirror', () => {
    const source = inlineLab(STEP, { images: '[registry, redis:7]' });
    assert.deepEqual(problems(parseInline(source, { expectedId: 'other', mirrorImages: ['registry:latest', 'registry:2'] })), [
      '2: front matter: id "inline" differs from the lab\'s folder name "other": make them equal',
      `${lineOf(source, 'images:')}: front matter: image "redis:7" is not in the platform mirror (it has registry:latest, registry:2)`,
    ]);
  });
});

describe('checks in a lab', () => {
  const withCheck = (check: string, hosts = '[node1]') =>
    inlineLab(`## A step\n\`\`\`check\n${check}\n\`\`\`\n### Solution\n\`\`\`bash node1\ntrue\n\`\`\`\n`, { hosts });

  test('an unknown kind, with the nearest one suggested', () => {
    const source = withCheck('- kind: registry-has-repos\n  registry: 127.0.0.1:5000');
    assert.deepEqual(problems(parseInline(source)), [`${lineOf(source, 'kind:')}: unknown check kind "registry-has-repos" (did you mean "registry-has-repo"?)`]);
  });

  test('a missing, an unknown and an invalid parameter, each on its line', () => {
    const source = withCheck('- kind: registry-has-tag\n  registry: 127.0.0.1\n  repo: hello-world');
    assert.deepEqual(problems(parseInline(source)), [
      `${lineOf(source, '- kind')}: registry-has-tag: missing parameter "repository"`,
      `${lineOf(source, 'registry: 127')}: registry-has-tag: "registry": an address with a port, as in an image name: 127.0.0.1:5000 or node2:5000`,
      `${lineOf(source, 'repo:')}: registry-has-tag: unknown parameter "repo" (did you mean "repository"?)`,
    ]);
  });

  test('a check without a kind, and a block that is not a list', () => {
    assert.match(problems(parseInline(withCheck('- registry: 127.0.0.1:5000')))[0]!, /a check needs a kind, one of: registry-answers, /);
    assert.match(problems(parseInline(withCheck('kind: command')))[0]!, /a check block is a YAML list/);
  });

  test('a YAML syntax error names its line', () => {
    const source = withCheck('- kind: command\n  run: "unclosed');
    assert.match(problems(parseInline(source))[0]!, /^\d+: check block: YAML: /);
  });

  test('hosts must be declared, and named when the lab has several', () => {
    const source = withCheck('- kind: image-present\n  host: node3\n  image: x\n- kind: image-present\n  image: y', '[node1, node2]');
    assert.deepEqual(problems(parseInline(source)), [
      `${lineOf(source, 'host: node3')}: image-present: host "node3" is not declared in the front matter (hosts: node1, node2) (did you mean "node1"?)`,
      `${lineOf(source, 'image: y') - 1}: image-present: say which host to check with \`host:\` (one of node1, node2)`,
    ]);
  });

  test('parameter defaults and transforms are applied once, at parse time', () => {
    const { lab } = parseInline(withCheck('- kind: container-running\n  name: registry\n  publish: 5000:5000\n  env: { REGISTRY_HTTP_ADDR: 0.0.0.0:5000 }'));
    assert.deepEqual(lab!.steps[0]!.checks[0]!.params, {
      name: 'registry',
      publish: [{ published: 5000, target: 5000, protocol: 'tcp', text: '5000:5000' }],
      env: { REGISTRY_HTTP_ADDR: '0.0.0.0:5000' },
    });
  });

  test('a refinement across parameters', () => {
    const source = withCheck('- kind: registry-answers\n  registry: 127.0.0.1:5000\n  username: moby');
    assert.deepEqual(problems(parseInline(source)), [`${lineOf(source, '- kind')}: registry-answers: "password": username and password go together`]);
  });
});

describe('steps', () => {
  test('a step needs a check and a solution with a command block', () => {
    const source = inlineLab('## Nothing checked\nText.\n### Solution\nJust do it.\n## No solution\n```check\n- kind: image-present\n  image: x\n```\n');
    assert.deepEqual(problems(parseInline(source)), [
      `${lineOf(source, '## Nothing')}: step "Nothing checked" has no check: add a \`\`\`check block that says how to tell the step is done`,
      `${lineOf(source, '### Solution')}: the solution of step "Nothing checked" has no command block: add one such as \`\`\`bash node1`,
      `${lineOf(source, '## No solution')}: step "No solution" has no solution: add a \`### Solution\` with the commands that complete it (\`\`\`bash HOST blocks)`,
    ]);
  });

  test('code blocks name declared hosts; check blocks stay in the step text', () => {
    const source = inlineLab(`${STEP}\n### Hint: more\n\`\`\`bash node2\nls\n\`\`\`\n\`\`\`check\n- kind: image-present\n  image: x\n\`\`\`\n`);
    assert.deepEqual(problems(parseInline(source)), [
      `${lineOf(source, '```bash node2')}: \`\`\`bash node2: host "node2" is not declared in the front matter (hosts: node1) (did you mean "node1"?)`,
      `${lineOf(source, '```check', lineOf(source, 'node2'))}: a check block belongs in a step's text, not in its hint`,
    ]);
  });

  test('a second solution, a hint before any step, words after the host', () => {
    const source = inlineLab(`### Hint\nearly\n${STEP}\n### Hint\n\`\`\`bash node1 now\nls\n\`\`\`\n### Solution\n\`\`\`bash node1\nls\n\`\`\`\n`);
    assert.deepEqual(problems(parseInline(source)), [
      `${lineOf(source, '### Hint')}: a hint belongs to a step: put it under a \`## Step title\` heading`,
      `${lineOf(source, '```bash node1 now')}: \`\`\`bash node1: unexpected "now" after the host name (the format is \`\`\`bash HOST)`,
      `${lineOf(source, '### Solution', lineOf(source, '### Solution'))}: step "Run a registry" has a second solution (the first is on line ${lineOf(source, '### Solution')})`,
    ]);
  });

  test('two steps with one title have one id', () => {
    const source = inlineLab(`${STEP}\n${STEP}`);
    const second = lineOf(source, '## Run a registry', lineOf(source, '## Run a registry'));
    assert.deepEqual(problems(parseInline(source)), [
      `${second}: step id "run-a-registry" is used twice (also line ${lineOf(source, '## Run a registry')}): give the steps different titles`,
    ]);
  });
});
