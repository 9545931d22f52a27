import { connect, type PeerCertificate } from 'node:tls';

export interface TlsProbe {
  /** Where to connect. */
  address: string;
  port: number;
  /** SNI name (names only, never addresses). */
  servername: string | undefined;
  /** PEM of a CA to verify the chain against. */
  ca: string | undefined;
  timeoutMs: number;
}

export interface Handshake {
  certificate: PeerCertificate;
  /** The chain verified against the CA (false without a CA). */
  trusted: boolean;
  /** Why it did not, as OpenSSL says it (e.g. DEPTH_ZERO_SELF_SIGNED_CERT). */
  untrustedBecause: string | undefined;
}

/**
 * One TLS handshake, to see which certificate is served for a name and whether it chains to a
 * CA. It never rejects a certificate itself: judging it is the check's job.
 */
export function handshake(probe: TlsProbe): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: probe.address,
      port: probe.port,
      servername: probe.servername,
      ca: probe.ca,
      rejectUnauthorized: false,
      // Node would check the name against the address connected to; the check judges the
      // name itself, so `authorized` here means only "the chain verifies".
      checkServerIdentity: () => undefined,
      timeout: probe.timeoutMs,
    });
    socket.once('secureConnect', () => {
      const trusted = probe.ca !== undefined && socket.authorized;
      // Typed as an Error, but Node sets OpenSSL's code string here.
      const reason = socket.authorizationError as unknown as string | Error | null;
      resolve({
        certificate: socket.getPeerCertificate(),
        trusted,
        untrustedBecause: trusted || !reason ? undefined : String((reason as NodeJS.ErrnoException).code ?? reason),
      });
      socket.destroy();
    });
    socket.once('timeout', () => socket.destroy(Object.assign(new Error(`no TLS handshake within ${probe.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    socket.once('error', reject);
  });
}
