import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { explainOtherDeleteAnswer } from '../registry/delete-probe.ts';
import { credentialsInPairs, registryConnection, repositoryName } from './params.ts';

/**
 * The registry accepts manifest deletes (`storage.delete.enabled`). Proved without deleting
 * anything: a DELETE of a digest no manifest has answers 404 MANIFEST_UNKNOWN when deletes are
 * on, 405 UNSUPPORTED when they are off, and a plain 405 in read-only mode.
 */
export const registryAllowsDeletes = defineCheckKind({
  name: 'registry-allows-deletes',
  summary: 'a registry accepts manifest deletes (probed with a digest that does not exist; nothing is deleted)',
  params: z
    .strictObject({
      ...registryConnection,
      /** Where the probe asks; any name works, it need not exist. */
      repository: repositoryName.default('hello-world'),
    })
    .superRefine(credentialsInPairs),
  describe: (p) => `the registry on ${p.registry} allows deletes`,
  async run(p, target) {
    const client = await target.registries.open(p);
    const answer = await client.probeDelete(p.repository);
    const where = `the registry on ${client.label}`;
    switch (answer.stance) {
      case 'allowed':
        return pass(`${where} allows deletes (a DELETE of a manifest that does not exist got ${answer.said})`);
      case 'disabled':
        return fail(
          `${where} refuses deletes (${answer.said}): run it with -e REGISTRY_STORAGE_DELETE_ENABLED=true (a pull-through cache never deletes)`,
        );
      case 'read-only':
        return fail(`${where} is in read-only mode and refuses every write (${answer.said}): run it without REGISTRY_STORAGE_MAINTENANCE_READONLY`);
      default:
        return fail(explainOtherDeleteAnswer(answer, client.label));
    }
  },
});
