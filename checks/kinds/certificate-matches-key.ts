import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { readCertificate } from '../host/certificate-file.ts';
import { absolutePath } from './params.ts';

/**
 * A private key file is the key of a certificate file, as a server that serves them together
 * needs (a registry with a mismatched pair does not start: "private key does not match public key").
 */
export const certificateMatchesKey = defineCheckKind({
  name: 'certificate-matches-key',
  summary: 'a private key file in the host is the key of a certificate file',
  params: z.strictObject({ certificate: absolutePath, key: absolutePath }),
  describe: (p) => `${p.key} is the key of ${p.certificate}`,
  async run(p, target) {
    const certificate = await readCertificate(target.files, p.certificate);
    const key = privateKey(await target.files.readRequired(p.key, 'make the key first'));
    if (!key)
      return fail(`${p.key} is not an unencrypted private key in PEM form: make it again with openssl req -newkey ... -nodes -keyout ${p.key}`);
    if (!certificate.checkPrivateKey(key)) {
      return fail(
        `${p.key} does not belong to ${p.certificate} (made separately, or one made again since?): make both again with one openssl req command`,
      );
    }
    return pass(`${p.key} is the key of ${p.certificate}`);
  },
});

function privateKey(pem: string): KeyObject | undefined {
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}
