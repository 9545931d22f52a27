import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DrydockError } from '../../errors/drydock-error.ts';
import { HUB_NAMES, type HubCertificate } from './hub-certificate.ts';

/** The folder in the data dir (DRYDOCK_DATA_DIR) that keeps the Docker Hub stand-in's certificate. */
export const HUB_CERTIFICATE_DIR = 'hub-certificate';
/**
 * CA, certificate and key in one file: one rename replaces all three, so a crash mid-write leaves
 * the old set or the new one, never a CA of one set beside the certificate of another.
 */
export const HUB_CERTIFICATE_FILE = 'hub.pem';
/** A set this close to its end is replaced at start, so a server that runs for weeks between restarts never serves an expired one. */
export const RENEW_WITHIN_MS = 30 * 24 * 60 * 60 * 1000;

export type StoredHubCertificate = { state: 'absent' } | { state: 'unusable'; problem: string } | { state: 'usable'; certificate: HubCertificate };

export interface KeptHubCertificate {
  certificate: HubCertificate;
  reused: boolean;
  /** Why a stored set was not reused (its path and what is wrong); absent when there was none. */
  replacedBecause?: string;
}

export function hubCertificateFile(dataDir: string): string {
  return join(resolve(dataDir), HUB_CERTIFICATE_DIR, HUB_CERTIFICATE_FILE);
}

/**
 * The stored set if it is still good, else a new one from `make`, stored in its place. Lab hosts
 * that a restarted server adopts trust the CA they were given at their start: reusing it keeps
 * their `docker pull` of Docker Hub names answered by the stand-in instead of failing on TLS.
 */
export async function keepHubCertificate(dataDir: string, make: () => Promise<HubCertificate>, now = Date.now()): Promise<KeptHubCertificate> {
  const stored = await loadHubCertificate(dataDir, now);
  if (stored.state === 'usable') return { certificate: stored.certificate, reused: true };
  const certificate = await make();
  await saveHubCertificate(dataDir, certificate);
  return stored.state === 'unusable'
    ? { certificate, reused: false, replacedBecause: `${hubCertificateFile(dataDir)}: ${stored.problem}` }
    : { certificate, reused: false };
}

export async function loadHubCertificate(dataDir: string, now = Date.now()): Promise<StoredHubCertificate> {
  const file = hubCertificateFile(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    // Not replaced: whatever keeps it from being read (a folder in its place, permissions) would stop the write too.
    throw new DrydockError('DD_INTERNAL', `cannot read the Docker Hub stand-in's certificate ${file}: ${(err as Error).message}`, { cause: err });
  }
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z ]+)-----\r?\n[\s\S]+?\r?\n-----END \1-----/g)];
  const labels = blocks.map((b) => b[1]);
  if (blocks.length !== 3 || labels[0] !== 'CERTIFICATE' || labels[1] !== 'CERTIFICATE' || !/PRIVATE KEY$/.test(labels[2]!)) {
    return { state: 'unusable', problem: `expected a CA certificate, a certificate and a private key, found ${labels.join(', ') || 'no PEM block'}` };
  }
  const [caPem, certPem, keyPem] = blocks.map((b) => `${b[0].replace(/\r\n/g, '\n')}\n`) as [string, string, string];
  const certificate = { caPem, certPem, keyPem };
  const problem = problemWith(certificate, now);
  return problem ? { state: 'unusable', problem } : { state: 'usable', certificate };
}

/** What keeps the set from serving Docker Hub's names to hosts that trust its CA, or undefined. */
export function problemWith(set: HubCertificate, now = Date.now()): string | undefined {
  let ca: X509Certificate, cert: X509Certificate;
  try {
    ca = new X509Certificate(set.caPem);
    cert = new X509Certificate(set.certPem);
  } catch (err) {
    return `a certificate does not parse (${(err as Error).message})`;
  }
  try {
    if (!ca.ca) return 'the first certificate is not a CA';
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'the certificate was not issued by the CA';
    if (!cert.checkPrivateKey(createPrivateKey(set.keyPem))) return 'the key does not match the certificate';
  } catch (err) {
    return `the set does not check out (${(err as Error).message})`;
  }
  const unnamed = HUB_NAMES.filter((name) => cert.checkHost(name) === undefined);
  if (unnamed.length > 0) return `the certificate does not name ${unnamed.join(', ')}`;
  for (const [what, x] of [
    ['CA', ca],
    ['certificate', cert],
  ] as const) {
    const ends = Date.parse(x.validTo);
    if (!(ends - now > RENEW_WITHIN_MS)) return `the ${what} expires ${new Date(ends).toISOString()}, within 30 days`;
  }
  return undefined;
}

/** Writes the set readable by the server's user only, replacing the stored one in a single rename. */
export async function saveHubCertificate(dataDir: string, set: HubCertificate): Promise<void> {
  const file = hubCertificateFile(dataDir);
  const dir = join(file, '..');
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing folder's mode as it was.
    await chmod(dir, 0o700);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(set.caPem + set.certPem + set.keyPem);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw new DrydockError('DD_INTERNAL', `cannot write the Docker Hub stand-in's certificate to ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  // So that the rename outlives a power cut; some file systems cannot sync a folder, and the file is whole either way.
  await open(dir, 'r')
    .then(async (d) => {
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    })
    .catch(() => {});
}
