import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../config/config.ts';
import { connectDocker } from '../docker-client.ts';
import { buildAllImages } from './build.ts';
import { IMAGES } from './catalog.ts';

// Runs after `npm run images` (CI's setup does it): a second build must find every image current.
test('a second build reuses every image it built', async () => {
  const docker = connectDocker(loadConfig().dockerHost);
  const lines: string[] = [];
  const report = await buildAllImages(docker, (line) => lines.push(line));
  assert.deepEqual(report.built, [], `rebuilt although nothing changed:\n${lines.join('\n')}`);
  assert.equal(report.current.length, IMAGES.length);
});
