import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { imageReference } from './params.ts';

/** The host's engine has an image under this reference (a name without a tag means `latest`). */
export const imagePresent = defineCheckKind({
  name: 'image-present',
  summary: 'an image (name:tag) is present in the host',
  params: z.strictObject({ image: imageReference }),
  describe: (p) => `the image ${p.image} is present`,
  async run(p, target) {
    const image = await target.engine.image(p.image);
    if (!image)
      return fail(`there is no image ${p.image} in ${target.host.name}: pull it, or tag an image with that name (docker tag SOURCE ${p.image})`);
    return pass(`the image ${p.image} is in ${target.host.name} (${image.Id.slice(7, 19)})`);
  },
});
