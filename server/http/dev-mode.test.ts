import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { inlineLab, inlineStep, labFolder } from '../test-support/inline-lab.ts';
import { loadLabCatalog } from '../labs/load.ts';
import { renderMarkdown } from '../labs/render.ts';
import { NodeSessionClient, startLabSession } from '../verify/node-session-client.ts';
import { startTestServer } from '../test-support/test-server.ts';

const lab = (text: string, path: string) =>
  inlineLab(inlineStep({ title: 'Leave a note', text, check: `- kind: file-exists\n  path: ${path}`, solution: `touch ${path}` }), { id: 'edited' });

// Dev mode: an instructor edits a lab while a session of it runs in a browser.
test('an edited lab reaches the open session without a restart; a broken edit changes nothing', { timeout: 120_000 }, async () => {
  await using labs = await labFolder({ 'edited/lab.md': lab('Write the first note.', '/root/first') });
  const file = join(labs.dir, 'edited', 'lab.md');
  const { labs: loaded } = await loadLabCatalog(labs.dir);
  const app = await startTestServer({ labs: loaded, render: renderMarkdown, watchLabsDir: labs.dir, checks: true });
  try {
    const started = await startLabSession(app.url, 'edited');
    const client = await NodeSessionClient.connect(app.url, started.session.id, started.token);
    const lessonText = async () => JSON.stringify(await fetch(`${app.url}/api/labs/edited`).then((r) => r.json()));

    await writeFile(file, lab('Write the second note.', '/root/second'));
    await client.waitFor(() => client.of('labUpdated').length === 1, 'the lab update', 10_000);
    assert.deepEqual(client.of('labUpdated')[0], { type: 'labUpdated', labId: 'edited', applied: true });
    assert.match(await lessonText(), /Write the second note/);
    // The session checks against the new version: the old file does not pass, the new one does.
    client.input('node1', 'touch /root/first\r');
    client.send({ type: 'check' });
    await client.waitFor(() => client.of('steps').at(-1)?.steps[0]?.status === 'failing', 'the step to fail');
    client.input('node1', 'touch /root/second\r');
    await client.waitFor(() => client.of('steps').at(-1)?.steps[0]?.status === 'passed', 'the step to pass');

    await writeFile(file, (await readFile(file, 'utf8')).replace('kind: file-exists', 'kind: file-exist'));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(client.of('labUpdated').length, 1, 'a lab that does not parse is not sent');
    assert.match(await lessonText(), /Write the second note/);
    await client.close();
  } finally {
    await app.close();
  }
});
