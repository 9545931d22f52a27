import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { credentialsInPairs, registryConnection, repositoryName } from './params.ts';
import { listed } from './wording.ts';

/** The registry's catalog lists a repository (all pages read; other repositories do not count). */
export const registryHasRepo = defineCheckKind({
  name: 'registry-has-repo',
  summary: "a repository is in the registry's catalog",
  params: z.strictObject({ ...registryConnection, repository: repositoryName }).superRefine(credentialsInPairs),
  describe: (p) => `the registry on ${p.registry} has a repository ${p.repository}`,
  async run(p, target) {
    const client = await target.registries.open(p);
    const others: string[] = [];
    for await (const name of client.repositories()) {
      if (name === p.repository) return pass(`the registry on ${client.label} has a repository ${p.repository}`);
      others.push(name);
    }
    const has = others.length ? `has only ${listed(others)}` : 'has no repository yet';
    return fail(`a registry answers on ${client.label} but ${has}, not ${p.repository}: push ${p.repository} to it first`);
  },
});
