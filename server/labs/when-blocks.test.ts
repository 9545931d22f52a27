import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inlineLab, inlineStep, lineOf, parseInline, problems } from '../test-support/inline-lab.ts';
import { labForFacts } from './lab-for-facts.ts';
import { renderStep } from './render.ts';

const WITH_IPVS = { ipvs: true };
const WITHOUT_IPVS = { ipvs: false };

// A step taught two ways: the routing mesh where the kernel has IPVS, host mode where it has not.
const LAB = inlineLab(`
  Intro for everyone.

  :::when no-ipvs
  This machine has no IPVS.
  :::

  ## Publish the registry
  Common text.

  :::when ipvs
  Use the mesh:

  \`\`\`bash node1
  docker service create --publish 5000:5000 registry
  \`\`\`

  \`\`\`check
  - kind: command
    run: "true"
    title: the mesh publishes 5000
  \`\`\`
  :::

  :::when no-ipvs
  Use host mode:

  \`\`\`bash node1
  docker service create --publish published=5000,target=5000,mode=host registry
  \`\`\`

  \`\`\`text
  :::when this-is-code
  \`\`\`
  :::

  \`\`\`check
  - kind: registry-answers
    registry: 127.0.0.1:5000
  \`\`\`

  ### Hint: the mesh does not forward
  :::when no-ipvs
  Publish in host mode.
  :::

  ### Solution
  :::when ipvs
  \`\`\`bash node1
  docker service create --publish 5000:5000 registry
  \`\`\`
  :::

  :::when no-ipvs
  \`\`\`bash node1
  docker service create --publish published=5000,target=5000,mode=host registry
  \`\`\`
  :::
`);

describe('lessons that depend on the machine (:::when)', () => {
  test('the parsed lab keeps both machines, each part marked with its condition', () => {
    const { lab, errors } = parseInline(LAB);
    assert.deepEqual(errors, []);
    const step = lab!.steps[0]!;
    assert.deepEqual(step.checks.map((c) => [c.kind, c.when]), [
      ['command', { fact: 'ipvs', present: true }],
      ['registry-answers', undefined],
    ]);
    assert.deepEqual(step.solution.commands.map((c) => [c.when, c.line]), [
      [{ fact: 'ipvs', present: true }, lineOf(LAB, '```bash node1', lineOf(LAB, ':::when ipvs', lineOf(LAB, '### Solution')))],
      [{ fact: 'ipvs', present: false }, lineOf(LAB, '```bash node1', lineOf(LAB, ':::when no-ipvs', lineOf(LAB, '### Solution')))],
    ]);
  });

  test('a machine with IPVS is taught the routing mesh', () => {
    const lab = labForFacts(parseInline(LAB).lab!, WITH_IPVS);
    const step = lab.steps[0]!;
    assert.equal(lab.intro, 'Intro for everyone.');
    assert.deepEqual(step.checks.map((c) => c.kind), ['command', 'registry-answers']);
    assert.deepEqual(step.solution.commands.map((c) => c.script), ['docker service create --publish 5000:5000 registry']);
    assert.deepEqual(step.hints, [], 'the hint about machines without IPVS is not offered');
    const html = renderStep(step);
    assert.match(html.html, /Use the mesh/);
    assert.doesNotMatch(html.html, /host mode|:::/);
    assert.doesNotMatch(html.solutionHtml, /mode=host|:::/);
  });

  test('a machine without IPVS is taught host mode', () => {
    const lab = labForFacts(parseInline(LAB).lab!, WITHOUT_IPVS);
    const step = lab.steps[0]!;
    assert.match(lab.intro, /^Intro for everyone\.\n\n+This machine has no IPVS\.$/);
    assert.deepEqual(step.checks.map((c) => c.kind), ['registry-answers']);
    assert.deepEqual(step.solution.commands.map((c) => c.script), ['docker service create --publish published=5000,target=5000,mode=host registry']);
    assert.deepEqual(step.hints.map((h) => [h.title, h.markdown]), [['the mesh does not forward', 'Publish in host mode.']]);
    const html = renderStep(step).html;
    assert.match(html, /Use host mode/);
    assert.match(html, /:::when this-is-code/, 'a marker inside a code block is code');
    assert.doesNotMatch(html, /Use the mesh|<p>:::/);
    assert.ok(Object.isFrozen(step.checks));
  });

  test('unknown facts and malformed blocks are errors on their line', () => {
    const source = inlineLab(`
      :::when ipv
      a
      :::
      :::
      :::when ipvs no-ipvs
      b
      :::
      :::when no-ipvs
      :::when ipvs
      c
      :::
      :::note
    `) + `${inlineStep({ title: 'A step', check: '- kind: image-present\n  image: x', solution: 'true' })}:::when ipvs\n`;
    const first = lineOf(source, ':::when ipv');
    const third = lineOf(source, ':::when no-ipvs') + 1;
    assert.deepEqual(problems(parseInline(source)), [
      `${first}: unknown fact "ipv" in \`:::when\` (did you mean "ipvs"?): the facts are ipvs, no-ipvs`,
      `${first + 3}: this \`:::\` line closes no \`:::when\` block`,
      `${lineOf(source, ':::when ipvs no-ipvs')}: \`:::when\` names one fact, one of ipvs, no-ipvs (not "ipvs no-ipvs")`,
      `${third}: \`:::when\` blocks do not nest: close the one on line ${third - 1} with a \`:::\` line first`,
      `${lineOf(source, ':::note')}: unknown block ":::note": the lab format has \`:::when FACT\` ... \`:::\` (facts: ipvs, no-ipvs)`,
      `${lineOf(source, ':::when ipvs', lineOf(source, '### Solution'))}: \`:::when\` is not closed: end the block with a \`:::\` line`,
    ]);
  });

  test('a block stays in its section, and every machine gets a check and a solution', () => {
    const source = inlineLab(`
      ## A step
      :::when ipvs
      \`\`\`check
      - kind: image-present
        image: x
      \`\`\`
      ### Solution
      \`\`\`bash node1
      true
      \`\`\`
      :::
      ## Another step
      \`\`\`check
      - kind: image-present
        image: y
      \`\`\`
      ### Solution
      :::when no-ipvs
      \`\`\`bash node1
      true
      \`\`\`
      :::
    `);
    assert.deepEqual(problems(parseInline(source)), [
      `${lineOf(source, '## A step')}: step "A step" has no check on a machine with no-ipvs: add one outside the \`:::when\` blocks, or one for that machine`,
      `${lineOf(source, ':::when ipvs')}: this \`:::when\` block runs into the heading on line ${lineOf(source, '### Solution')}: close it with a \`:::\` line before the heading`,
      `${lineOf(source, '### Solution')}: the solution of step "A step" has no command block on a machine with no-ipvs: add one outside the \`:::when\` blocks, or one for that machine`,
      `${lineOf(source, '### Solution', lineOf(source, '## Another'))}: the solution of step "Another step" has no command block on a machine with ipvs: add one outside the \`:::when\` blocks, or one for that machine`,
    ]);
  });
});
