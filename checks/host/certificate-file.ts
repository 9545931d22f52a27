import { X509Certificate } from 'node:crypto';
import { ProbeFailure } from '../probe-failure.ts';
import type { HostFiles } from './host-files.ts';

/** A PEM certificate file in a host (the first certificate, if it holds a chain). */
export async function readCertificate(files: HostFiles, path: string): Promise<X509Certificate> {
  const pem = await files.readRequired(path, 'make the certificate first');
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ProbeFailure(
      `${path} is not a certificate in PEM form (a -----BEGIN CERTIFICATE----- block): make it again with openssl req -x509 ... -out ${path}`,
    );
  }
}
