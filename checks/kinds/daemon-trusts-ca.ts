import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { absolutePath, registryAddress } from './params.ts';

/**
 * The engine will trust a registry's CA: a `*.crt` in /etc/docker/certs.d/HOST:PORT/ (read at
 * each pull or push, no restart needed), equal to the learner's CA file when `ca` is given.
 */
export const daemonTrustsCa = defineCheckKind({
  name: 'daemon-trusts-ca',
  summary: 'a CA certificate for a registry is in /etc/docker/certs.d/HOST:PORT/',
  params: z.strictObject({ registry: registryAddress, ca: absolutePath.optional() }),
  describe: (p) => `the engine trusts the CA of ${p.registry}`,
  async run(p, target) {
    const dir = `/etc/docker/certs.d/${p.registry}`;
    const copy = `cp ${p.ca ?? 'CA.crt'} ${dir}/ca.crt`;
    const crts = ((await target.files.list(dir)) ?? []).filter((f) => f.endsWith('.crt'));
    if (crts.length === 0) return fail(`there is no CA certificate (*.crt) in ${dir}/ in ${target.host.name}: mkdir -p ${dir} && ${copy}`);
    if (p.ca) {
      const wanted = await target.files.read(p.ca);
      if (wanted === undefined) return fail(`there is no ${p.ca} in ${target.host.name} to compare ${dir}/ with: make the certificate first`);
      const present = await Promise.all(crts.map((f) => target.files.read(`${dir}/${f}`)));
      if (!present.some((text) => text?.trim() === wanted.trim())) {
        return fail(`the certificate in ${dir}/ is not ${p.ca} (made again since?): ${copy}`);
      }
    }
    return pass(`${dir}/ has ${crts.join(', ')}`);
  },
});
