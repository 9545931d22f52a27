import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashContext } from './context-hash.ts';

async function context(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-ctx-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

test('the same files on the same base give the same digest', async () => {
  const a = await context({ Dockerfile: 'FROM x', 'rootfs/etc/a': '1' });
  const b = await context({ 'rootfs/etc/a': '1', Dockerfile: 'FROM x' });
  assert.equal(await hashContext(a, 'base1'), await hashContext(b, 'base1'));
});

test('a changed byte, a renamed file, a changed mode or a new base each change the digest', async () => {
  const dir = await context({ Dockerfile: 'FROM x', 'rootfs/run.sh': 'echo' });
  const original = await hashContext(dir, 'base1');
  assert.notEqual(await hashContext(dir, 'base2'), original);
  await chmod(join(dir, 'rootfs/run.sh'), 0o755);
  const executable = await hashContext(dir, 'base1');
  assert.notEqual(executable, original);
  await writeFile(join(dir, 'rootfs/run.sh'), 'echo!');
  assert.notEqual(await hashContext(dir, 'base1'), executable);
  const renamed = await context({ Dockerfile: 'FROM x', 'rootfs/run2.sh': 'echo' });
  assert.notEqual(await hashContext(renamed, 'base1'), original);
});
