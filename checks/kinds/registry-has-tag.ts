import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { credentialsInPairs, imageReference, registryConnection, repositoryName, tagName } from './params.ts';
import { listed } from './wording.ts';

/**
 * A repository in the registry has a tag whose manifest is there, and, with `image`, holds the
 * same content as that image in the host (so pushing another image under the name fails).
 */
export const registryHasTag = defineCheckKind({
  name: 'registry-has-tag',
  summary: 'a tag of a repository is in the registry, optionally with the content of a local image',
  params: z
    .strictObject({
      ...registryConnection,
      repository: repositoryName,
      tag: tagName.default('latest'),
      /** A local image in the host; the pushed tag must hold its content. */
      image: imageReference.optional(),
    })
    .superRefine(credentialsInPairs),
  describe: (p) => `${p.repository}:${p.tag} is in the registry on ${p.registry}${p.image ? ` with the content of ${p.image}` : ''}`,
  async run(p, target) {
    const client = await target.registries.open(p);
    const where = `the registry on ${client.label}`;
    const tags = await client.tags(p.repository);
    if (tags === undefined) return fail(`${where} has no repository ${p.repository}: push ${p.repository}:${p.tag} to it first`);
    if (!tags.includes(p.tag)) {
      const has = tags.length ? `only the tags ${listed(tags)}` : 'no tag any more';
      return fail(`${p.repository} in ${where} has ${has}, not ${p.tag}: push ${p.repository}:${p.tag}`);
    }
    const manifest = await client.manifest(p.repository, p.tag);
    if (!manifest) return fail(`${where} lists ${p.repository}:${p.tag} but has no manifest for it (was it deleted?): push it again`);
    if (p.image) {
      const local = await target.engine.image(p.image);
      if (!local) return fail(`there is no image ${p.image} in ${target.host.name} to compare ${p.repository}:${p.tag} with: pull it again`);
      const digests = await client.contentDigests(p.repository, p.tag);
      if (!digests?.has(local.Id)) {
        return fail(
          `${p.repository}:${p.tag} in ${where} is not the image ${p.image}: tag ${p.image} as ${p.registry}/${p.repository}:${p.tag} and push it`,
        );
      }
    }
    return pass(`${where} has ${p.repository}:${p.tag} (${manifest.digest.slice(0, 19)})`);
  },
});
