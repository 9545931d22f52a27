import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { explainOtherDeleteAnswer } from '../registry/delete-probe.ts';
import { credentialsInPairs, registryConnection } from './params.ts';

/**
 * The registry is in maintenance read-only mode (`storage.maintenance.readonly.enabled`), as a
 * garbage collection needs. Proved with a write that could change nothing: a DELETE of a
 * digest no manifest has gets a plain-text 405 only when no write handler is registered.
 */
export const registryReadOnly = defineCheckKind({
  name: 'registry-read-only',
  summary: 'a registry is in read-only mode: pulls work, every write is refused (probed with a delete of nothing)',
  params: z.strictObject(registryConnection).superRefine(credentialsInPairs),
  describe: (p) => `the registry on ${p.registry} is read-only`,
  async run(p, target) {
    const client = await target.registries.open(p);
    const answer = await client.probeDelete('hello-world');
    const where = `the registry on ${client.label}`;
    switch (answer.stance) {
      case 'read-only':
        return pass(`${where} is read-only (a DELETE got ${answer.said})`);
      case 'allowed':
      case 'disabled':
        return fail(
          `${where} still accepts writes (a DELETE got ${answer.said}, not the plain 405 of read-only mode): ` +
            `run it with -e REGISTRY_STORAGE_MAINTENANCE_READONLY='{"enabled": true}' (the _ENABLED variable makes 2.8 crash)`,
        );
      default:
        return fail(explainOtherDeleteAnswer(answer, client.label));
    }
  },
});
