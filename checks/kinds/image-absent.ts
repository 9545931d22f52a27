import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { imageReference } from './params.ts';

/** The host's engine has no image under this reference, e.g. before pulling it back from a registry. */
export const imageAbsent = defineCheckKind({
  name: 'image-absent',
  summary: 'an image (name:tag) is not in the host',
  params: z.strictObject({ image: imageReference }),
  describe: (p) => `the image ${p.image} is removed`,
  async run(p, target) {
    const image = await target.engine.image(p.image);
    if (image) return fail(`the image ${p.image} is still in ${target.host.name}: remove it with docker image rm ${p.image}`);
    return pass(`there is no image ${p.image} in ${target.host.name}`);
  },
});
