import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { defineCheckKind, fail, pass, type CheckTarget } from '../check-kind.ts';
import { readCertificate } from '../host/certificate-file.ts';
import { absolutePath, oneOrMany, registryAddress } from './params.ts';
import { certificateCovers, commonName, sanEntry } from './subject-alt-name.ts';

const DNS_NAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const certificateName = z
  .string()
  .refine((name) => isIP(name) !== 0 || DNS_NAME.test(name), 'a DNS name such as node1, or an IP address such as 10.0.0.5');

/**
 * A certificate is valid for every name given, by its subjectAltName (Go clients such as dockerd
 * ignore the CN): a certificate file in the host, or the one a registry serves. It checks the
 * names only; `registry-serves-tls` checks the chain, `certificate-matches-key` the key.
 */
export const certificateValidFor = defineCheckKind({
  name: 'certificate-valid-for',
  summary: 'a certificate file in the host, or the certificate a registry serves, is valid for DNS names and IP addresses (subjectAltName)',
  params: z
    .strictObject({
      /** A PEM certificate file in the host. */
      file: absolutePath.optional(),
      /** Or a registry address: the certificate it serves for that name. */
      registry: registryAddress.optional(),
      names: oneOrMany(certificateName).refine((list) => list.length > 0, 'at least one name'),
    })
    .superRefine((p, ctx) => {
      if (p.file === undefined && p.registry === undefined) {
        ctx.addIssue({ code: 'custom', path: ['file'], message: 'give file (a certificate in the host) or registry (the certificate it serves)' });
      } else if (p.file !== undefined && p.registry !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['registry'], message: 'give file or registry, not both' });
      }
    }),
  describe: (p) => `${p.file ?? `the certificate served on ${p.registry}`} is valid for ${p.names.map(sanEntry).join(', ')}`,
  async run(p, target) {
    const { certificate, what } = await certificateOf(p, target);
    const wanted = `-addext "subjectAltName = ${p.names.map(sanEntry).join(',')}"`;
    if (!certificate.subjectAltName) {
      return fail(`${what} has no subjectAltName (only CN=${commonName(certificate)}), and clients ignore the CN: make it again with ${wanted}`);
    }
    const missing = p.names.filter((name) => !certificateCovers(certificate, name));
    if (missing.length > 0) {
      return fail(
        `${what} is not valid for ${missing.map(sanEntry).join(', ')} (it names ${certificate.subjectAltName}): make it again with ${wanted}`,
      );
    }
    return pass(`${what} is valid for ${p.names.map(sanEntry).join(', ')}`);
  },
});

async function certificateOf(
  p: { file?: string | undefined; registry?: string | undefined },
  target: CheckTarget,
): Promise<{ certificate: X509Certificate; what: string }> {
  if (p.file !== undefined) return { certificate: await readCertificate(target.files, p.file), what: p.file };
  const { certificate, endpoint } = await target.registries.handshake({ registry: p.registry!, tls: true });
  return { certificate: new X509Certificate(certificate.raw), what: `the certificate served on ${endpoint.label}` };
}
