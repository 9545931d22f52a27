import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { credentialsInPairs, registryConnection } from './params.ts';

/**
 * Without credentials the registry answers 401 with a Basic challenge; with the given ones, 200.
 * (A `docker login` succeeds against a registry without auth, so only the 401 proves auth is on.)
 */
export const registryRequiresAuth = defineCheckKind({
  name: 'registry-requires-auth',
  summary: 'a registry refuses anonymous clients with a Basic challenge, and accepts the given credentials',
  params: z.strictObject(registryConnection).superRefine(credentialsInPairs),
  describe: (p) => `the registry on ${p.registry} asks for a login${p.username ? ` and accepts ${p.username}` : ''}`,
  async run(p, target) {
    const anonymous = await target.registries.open({ ...p, username: undefined, password: undefined });
    const ping = await anonymous.ping();
    const where = `the registry on ${anonymous.label}`;
    if (!ping.isRegistry) return fail(`something answers on ${anonymous.label}, but it is not a registry (GET /v2/ gave ${ping.status})`);
    if (ping.status !== 401) {
      return fail(`${where} lets anyone in: start it with REGISTRY_AUTH=htpasswd, REGISTRY_AUTH_HTPASSWD_REALM and REGISTRY_AUTH_HTPASSWD_PATH`);
    }
    if (!/^basic\b/i.test(ping.challenge ?? '')) {
      return fail(`${where} asks for a login, but not with Basic auth (it says: ${ping.challenge ?? 'nothing'})`);
    }
    if (!p.username) return pass(`${where} asks for a login (${ping.challenge})`);
    const withLogin = await (await target.registries.open(p)).ping();
    if (withLogin.status !== 200) {
      return fail(`${where} refuses the login of ${p.username}: check the password, and that the htpasswd file was made with htpasswd -B (bcrypt)`);
    }
    return pass(`${where} asks for a login and accepts ${p.username}`);
  },
});
