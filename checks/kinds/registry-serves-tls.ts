import { checkServerIdentity } from 'node:tls';
import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { absolutePath, registryAddress } from './params.ts';
import { sanEntry } from './subject-alt-name.ts';

/**
 * The registry serves HTTPS with a certificate valid for the name a client uses (by
 * subjectAltName: Go clients such as dockerd ignore the CN), chaining to `ca` when given.
 */
export const registryServesTls = defineCheckKind({
  name: 'registry-serves-tls',
  summary: 'a registry serves a certificate valid for the name clients use, optionally signed by a given CA',
  params: z.strictObject({
    registry: registryAddress,
    /** A CA file in the host the certificate must chain to. */
    ca: absolutePath.optional(),
  }),
  describe: (p) => `the registry on ${p.registry} serves a certificate for ${p.registry.replace(/:\d+$/, '')}${p.ca ? ` signed by ${p.ca}` : ''}`,
  async run(p, target) {
    const { certificate, trusted, untrustedBecause, endpoint } = await target.registries.handshake({ registry: p.registry, tls: true, ca: p.ca });
    const name = endpoint.address.hostname.replace(/^\[|\]$/g, '');
    const where = `the certificate served on ${endpoint.label}`;
    if (!certificate.subjectaltname) {
      return fail(
        `${where} has no subjectAltName (only CN=${certificate.subject?.CN ?? '?'}), and clients ignore the CN: make it with -addext "subjectAltName = ${sanEntry(name)}"`,
      );
    }
    if (checkServerIdentity(name, certificate)) {
      return fail(
        `${where} is not valid for ${name} (it names ${certificate.subjectaltname}): make it with -addext "subjectAltName = ${sanEntry(name)}"`,
      );
    }
    if (p.ca && !trusted) return fail(`${where} is not signed by the CA in ${p.ca} (${untrustedBecause ?? 'not verified'})`);
    return pass(`${where} is valid for ${name}${p.ca ? ` and signed by the CA in ${p.ca}` : ''}`);
  },
});
