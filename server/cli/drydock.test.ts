import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drydock } from '../test-support/drydock-cli.ts';
import { inlineLab, labFolder } from '../test-support/inline-lab.ts';

test('drydock lint passes the repository labs', async () => {
  const result = await drydock('lint');
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^\d+ lab files?, no problems\n$/);
  assert.equal(result.code, 0);
});

test('drydock lint prints file:line: message and fails on a broken lab', async () => {
  await using labs = await labFolder({
    'broken/lab.md': inlineLab(
      `
      ## Push it
      \`\`\`check
      - kind: registry-has-rep
        registry: 127.0.0.1:5000
      - kind: image-present
        host: node2
        image: hello-world
      \`\`\`
      `,
      { id: 'broken' },
    ),
  });
  const result = await drydock('lint', labs.dir);
  const file = `${labs.dir}/broken/lab.md`;
  assert.equal(
    result.stdout,
    [
      `${file}:9: step "Push it" has no solution: add a \`### Solution\` with the commands that complete it (\`\`\`bash HOST blocks)`,
      `${file}:11: unknown check kind "registry-has-rep" (did you mean "registry-has-repo"?)`,
      `${file}:14: image-present: host "node2" is not declared in the front matter (hosts: node1) (did you mean "node1"?)`,
      '',
    ].join('\n'),
  );
  assert.equal(result.stderr, '3 problems in 1 lab file\n');
  assert.equal(result.code, 1);
});

test('drydock verify --jobs takes a whole number from 1 to 16, and says so', async () => {
  const result = await drydock('verify', '--jobs', '0');
  assert.match(result.stderr, /option '--jobs <n>' argument '0' is invalid\. a whole number from 1 to 16/);
  assert.equal(result.code, 1);
});
