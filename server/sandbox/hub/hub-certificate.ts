import type Docker from 'dockerode';
import { DrydockError } from '../../errors/drydock-error.ts';
import { runOneShot } from '../one-shot.ts';

/** The names a lab host's engine uses for Docker Hub, which the stand-in answers for. */
export const HUB_NAMES = ['registry-1.docker.io', 'index.docker.io', 'docker.io'] as const;

export interface HubCertificate {
  /** The platform CA that lab hosts trust for Docker Hub's names only (certs.d/NAME/ca.crt). */
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * A fresh CA and a certificate for Docker Hub's names. Lab hosts trust the CA (see host-hub.ts); it
 * is name-constrained to docker.io, so even a leaked key could vouch for no other name. The CA's
 * key is thrown away here: nothing needs to sign again. The set is kept in the data dir across
 * restarts (hub-certificate-store.ts). openssl runs in a short-lived lab-host container, where it
 * is sure to exist.
 */
export async function makeHubCertificate(docker: Docker): Promise<HubCertificate> {
  const sans = HUB_NAMES.map((n) => `DNS:${n}`).join(',');
  const script = [
    'set -e; cd "$(mktemp -d)"',
    'key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }',
    'key ca.key; key hub.key',
    'openssl req -x509 -new -key ca.key -out ca.crt -days 825 -subj "/CN=Drydock platform CA (Docker Hub stand-in)" ' +
      '-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign" -addext "nameConstraints=critical,permitted;DNS:docker.io"',
    'openssl req -new -key hub.key -out hub.csr -subj "/CN=registry-1.docker.io"',
    `printf 'subjectAltName=${sans}\\nextendedKeyUsage=serverAuth\\nkeyUsage=critical,digitalSignature\\n' > ext`,
    'openssl x509 -req -in hub.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile ext -out hub.crt 2>/dev/null',
    'cat ca.crt hub.crt hub.key',
  ].join('\n');
  const { exitCode, output } = await runOneShot(docker, [script]);
  const blocks = output.match(/-----BEGIN [A-Z ]+-----\n[\s\S]+?\n-----END [A-Z ]+-----\n/g) ?? [];
  if (exitCode !== 0 || blocks.length !== 3) {
    throw new DrydockError(
      'DD_INTERNAL',
      `could not make the Docker Hub stand-in's certificate with openssl in the lab-host image: ${output.trim()}`,
    );
  }
  const [caPem, certPem, keyPem] = blocks as [string, string, string];
  return { caPem, certPem, keyPem };
}
