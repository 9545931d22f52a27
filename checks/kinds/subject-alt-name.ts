import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';

/** How a name goes into `-addext "subjectAltName = ..."`: addresses need `IP:`, names `DNS:`. */
export const sanEntry = (name: string): string => (isIP(name) ? `IP:${name}` : `DNS:${name}`);

/**
 * Whether the certificate's subjectAltName covers a DNS name or an IP address. The CN never
 * counts: Go clients such as dockerd ignore it ("relies on legacy Common Name field").
 */
export function certificateCovers(certificate: X509Certificate, name: string): boolean {
  return isIP(name) ? certificate.checkIP(name) !== undefined : certificate.checkHost(name, { subject: 'never' }) !== undefined;
}

/** The CN, for saying what a certificate without subjectAltName names instead. */
export const commonName = (certificate: X509Certificate): string => /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1] ?? '?';
