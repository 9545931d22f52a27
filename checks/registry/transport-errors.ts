import { ProbeFailure } from '../probe-failure.ts';

/** What a check knows about the connection when it fails. */
export interface ConnectionFacts {
  /** The registry as the learner names it, e.g. `127.0.0.1:5000` or `127.0.0.1:5000 in node1`. */
  label: string;
  port: number;
  tls: boolean;
  /** Path of the CA file in the host, when the check verifies against one. */
  caPath: string | undefined;
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/** Whether a failure means the certificate did not verify against the CA (worth re-reading the CA). */
export function isUntrustedCertificate(err: unknown): boolean {
  return UNTRUSTED.has((err as NodeJS.ErrnoException).code ?? '');
}

/** Turns a transport error into a sentence a learner can act on. */
export function explainTransportError(err: unknown, c: ConnectionFacts): ProbeFailure {
  if (err instanceof ProbeFailure) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const text = (err as Error).message ?? String(err);
  if (code === 'ECONNREFUSED') {
    return new ProbeFailure(`nothing answers on ${c.label}: start the registry with its port published there (-p ${c.port}:5000)`);
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ProbeFailure(`${c.label} does not answer (${text})`);
  }
  if (c.tls && (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/.test(text))) {
    return new ProbeFailure(
      `the registry on ${c.label} serves plain HTTP, not HTTPS: give it a certificate and key (REGISTRY_HTTP_TLS_CERTIFICATE, REGISTRY_HTTP_TLS_KEY)`,
    );
  }
  if (isUntrustedCertificate(err)) {
    return new ProbeFailure(`the certificate served on ${c.label} is not signed by the CA in ${c.caPath ?? 'the trusted roots'}`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ProbeFailure(
      `the certificate served on ${c.label} is not valid for that name (${(err as { reason?: string }).reason ?? text}): make it with a matching subjectAltName`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new ProbeFailure(`the certificate served on ${c.label} is outside its validity dates (${code})`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ProbeFailure(
      `${c.label} closed the connection${c.tls ? ' during the TLS handshake' : ''}: is it the registry, and ${c.tls ? 'does it serve HTTPS' : 'does it serve plain HTTP'}?`,
    );
  }
  return new ProbeFailure(`${c.label} cannot be reached: ${text}`);
}
