import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineLab, parseInline } from '../test-support/inline-lab.ts';
import { renderMarkdown, renderStep } from './render.ts';

test('code blocks carry their host or a copy-only marker, highlighted', () => {
  const html = renderMarkdown('```bash node1\necho "hi" > /tmp/x\n```\n\n```bash\nls\n```\n\n```json\n{"a": 1}\n```\n\n```\nplain <b>\n```\n');
  assert.match(html, /<pre class="dd-code" data-host="node1" data-lang="bash"><code class="hljs language-bash"><span class="hljs-built_in">echo<\/span> <span class="hljs-string">&quot;hi&quot;<\/span> &gt; \/tmp\/x<\/code><\/pre>/);
  assert.match(html, /<pre class="dd-code" data-copy-only="" data-lang="bash"><code class="hljs language-bash"><span class="hljs-built_in">ls<\/span><\/code><\/pre>/);
  assert.match(html, /<pre class="dd-code" data-copy-only="" data-lang="json"><code class="hljs language-json">/);
  assert.match(html, /<pre class="dd-code" data-copy-only=""><code class="hljs">plain &lt;b&gt;<\/code><\/pre>/);
});

test('raw HTML in a lab is escaped', () => {
  assert.equal(renderMarkdown('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
});

test('a step renders its text, hints and solution apart', () => {
  const { lab } = parseInline(
    inlineLab(`
      ## Push
      Push **it**.
      \`\`\`check
      - kind: image-present
        image: hello-world
      \`\`\`
      ### Hint: names
      Tag first.
      ### Solution
      \`\`\`bash node1
      docker pull hello-world
      \`\`\`
    `),
  );
  const rendered = renderStep(lab!.steps[0]!);
  assert.equal(rendered.html, '<p>Push <strong>it</strong>.</p>\n');
  assert.deepEqual(rendered.hints, [{ title: 'names', html: '<p>Tag first.</p>\n' }]);
  assert.match(rendered.solutionHtml, /^<pre class="dd-code" data-host="node1"/);
});
