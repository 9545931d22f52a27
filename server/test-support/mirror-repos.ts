/** Test support, not used in production code: takes a test's repositories out of the shared mirror again. */
import type Docker from 'dockerode';
import { MIRROR_VOLUME, mirrorPath } from '../sandbox/mirror.ts';
import { runOneShot } from '../sandbox/one-shot.ts';

/**
 * The mirror refuses deletes, and its catalog lists every repository folder: removing the folder
 * is what makes a probe image disappear from what learners are told (its blobs stay, unreferenced).
 */
export async function forgetMirrorRepositories(docker: Docker, repositories: readonly string[]): Promise<void> {
  const dirs = repositories.map((r) => `/data/docker/registry/v2/repositories/${mirrorPath(r)}`);
  await runOneShot(docker, ['rm -rf "$@"', 'forget', ...dirs], { Mounts: [{ Type: 'volume', Source: MIRROR_VOLUME, Target: '/data' }] });
}
