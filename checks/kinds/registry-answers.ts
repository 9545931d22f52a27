import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { credentialsInPairs, registryConnection } from './params.ts';

/** A registry answers the V2 version check at the address a learner uses (and lets us in). */
export const registryAnswers = defineCheckKind({
  name: 'registry-answers',
  summary: 'a registry answers GET /v2/ at an address (HTTP or HTTPS, with credentials if given)',
  params: z.strictObject(registryConnection).superRefine(credentialsInPairs),
  describe: (p) => `a registry answers on ${p.registry}${p.tls || p.ca ? ' over HTTPS' : ''}`,
  async run(p, target) {
    const client = await target.registries.open(p);
    const ping = await client.ping();
    if (!ping.isRegistry) {
      return fail(
        `something answers on ${client.label}, but it is not a registry (GET /v2/ gave ${ping.status}): is the port published from the registry container?`,
      );
    }
    if (ping.status === 401) {
      return fail(
        p.username
          ? `the registry on ${client.label} refuses the login of ${p.username}: check the password and that the htpasswd file was made with htpasswd -B`
          : `the registry on ${client.label} asks for a login (${ping.challenge ?? 'no challenge'})`,
      );
    }
    if (ping.status !== 200) return fail(`the registry on ${client.label} answered ${ping.status} to GET /v2/`);
    return pass(`a registry answers on ${client.label}`);
  },
});
