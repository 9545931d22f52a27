import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HUB_NAMES, type HubCertificate } from './hub-certificate.ts';
import { HUB_CERTIFICATE_DIR, hubCertificateFile, keepHubCertificate, loadHubCertificate, saveHubCertificate } from './hub-certificate-store.ts';

/** A set like makeHubCertificate's, from the openssl CLI here instead of a lab-host container. */
function opensslSet({ caDays = 825, certDays = caDays }: { caDays?: number; certDays?: number } = {}): HubCertificate {
  const sans = HUB_NAMES.map((n) => `DNS:${n}`).join(',');
  const script = [
    'set -e; cd "$(mktemp -d)"',
    'key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }',
    'key ca.key; key hub.key',
    `openssl req -x509 -new -key ca.key -out ca.crt -days ${caDays} -subj "/CN=test CA" -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign"`,
    'openssl req -new -key hub.key -out hub.csr -subj "/CN=registry-1.docker.io"',
    `printf 'subjectAltName=${sans}\\nextendedKeyUsage=serverAuth\\n' > ext`,
    `openssl x509 -req -in hub.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days ${certDays} -extfile ext -out hub.crt 2>/dev/null`,
    'cat ca.crt hub.crt hub.key; cd / && rm -rf "$OLDPWD"',
  ].join('\n');
  const blocks = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).match(/-----BEGIN [A-Z ]+-----\n[\s\S]+?\n-----END [A-Z ]+-----\n/g);
  const [caPem, certPem, keyPem] = blocks as [string, string, string];
  return { caPem, certPem, keyPem };
}

describe('the Docker Hub stand-in certificate kept in the data dir', () => {
  let root: string;
  let a: HubCertificate;
  let b: HubCertificate;
  let dir: string;
  let made: number;
  const make = async () => {
    made++;
    return opensslSet();
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'drydock-hub-cert-'));
    [a, b] = [opensslSet(), opensslSet()];
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A fresh data dir holding `content` (if any) as the stored set. */
  async function dataDir(content?: string): Promise<string> {
    dir = await mkdtemp(join(root, 'data-'));
    made = 0;
    if (content !== undefined) {
      await mkdir(join(dir, HUB_CERTIFICATE_DIR), { mode: 0o700 });
      await writeFile(hubCertificateFile(dir), content, { mode: 0o600 });
    }
    return dir;
  }

  async function assertReplaced(content: string, reason: RegExp): Promise<void> {
    const kept = await keepHubCertificate(await dataDir(content), make);
    assert.equal(kept.reused, false);
    assert.equal(made, 1);
    assert.ok(kept.replacedBecause?.startsWith(`${hubCertificateFile(dir)}: `), `the reason names the file: ${kept.replacedBecause}`);
    assert.match(kept.replacedBecause ?? '', reason);
    assert.deepEqual((await loadHubCertificate(dir)).state, 'usable', 'the replacement is stored');
    assert.equal(await readFile(hubCertificateFile(dir), 'utf8'), kept.certificate.caPem + kept.certificate.certPem + kept.certificate.keyPem);
  }

  test('the first start makes and stores a set; the next reuses it as it is', async () => {
    const first = await keepHubCertificate(await dataDir(), make);
    assert.deepEqual({ reused: first.reused, replacedBecause: first.replacedBecause, made }, { reused: false, replacedBecause: undefined, made: 1 });
    const second = await keepHubCertificate(dir, make);
    assert.equal(second.reused, true);
    assert.equal(made, 1, 'nothing new was made');
    assert.deepEqual(second.certificate, first.certificate);
  });

  test('a valid stored set is reused, read back exactly', async () => {
    const kept = await keepHubCertificate(await dataDir(a.caPem + a.certPem + a.keyPem), make);
    assert.deepEqual(kept, { certificate: a, reused: true });
    assert.equal(made, 0);
  });

  test('a set that ends within 30 days is replaced; one with 40 days left is kept', async () => {
    const short = opensslSet({ caDays: 10 });
    await assertReplaced(short.caPem + short.certPem + short.keyPem, /the CA expires \d{4}-.*, within 30 days$/);
    const shortCert = opensslSet({ caDays: 825, certDays: 10 });
    await assertReplaced(shortCert.caPem + shortCert.certPem + shortCert.keyPem, /the certificate expires \d{4}-.*, within 30 days$/);
    const enough = opensslSet({ caDays: 40 });
    assert.equal((await keepHubCertificate(await dataDir(enough.caPem + enough.certPem + enough.keyPem), make)).reused, true);
    assert.equal((await loadHubCertificate(dir, Date.now() + 11 * 24 * 3600 * 1000)).state, 'unusable', 'and is replaced 11 days on');
  });

  test('a key that does not match the certificate is replaced', async () => {
    await assertReplaced(a.caPem + a.certPem + b.keyPem, /the key does not match the certificate$/);
  });

  test('a certificate the CA did not issue is replaced', async () => {
    await assertReplaced(b.caPem + a.certPem + a.keyPem, /the certificate was not issued by the CA$/);
  });

  test('a partial or corrupt set is replaced', async () => {
    await assertReplaced(a.caPem + a.certPem, /found CERTIFICATE, CERTIFICATE$/);
    await assertReplaced((a.caPem + a.certPem + a.keyPem).slice(0, -200), /found CERTIFICATE, CERTIFICATE$/);
    await assertReplaced('', /found no PEM block$/);
    await assertReplaced(a.caPem + a.certPem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA') + a.keyPem, /./);
    await assertReplaced(a.certPem + a.certPem + a.keyPem, /the first certificate is not a CA$/);
  });

  test('a stored set that cannot be read stops the start, naming the file', async () => {
    await mkdir(hubCertificateFile(await dataDir()), { recursive: true });
    await assert.rejects(keepHubCertificate(dir, make), (err: Error) => err.message.includes(`certificate ${hubCertificateFile(dir)}: EISDIR`));
    assert.equal(made, 0);
  });

  test('the set is written by one rename, readable by the server user only', async () => {
    await dataDir();
    await mkdir(join(dir, HUB_CERTIFICATE_DIR), { mode: 0o755 });
    await saveHubCertificate(dir, a);
    // What a crash mid-write leaves: the old set and a partial temporary file beside it.
    await writeFile(`${hubCertificateFile(dir)}.tmp-1-deadbeef`, b.caPem);
    assert.deepEqual(await loadHubCertificate(dir), { state: 'usable', certificate: a });
    await rm(`${hubCertificateFile(dir)}.tmp-1-deadbeef`);
    await saveHubCertificate(dir, b);
    assert.deepEqual(await readdir(join(dir, HUB_CERTIFICATE_DIR)), ['hub.pem'], 'no temporary file is left');
    assert.deepEqual(await loadHubCertificate(dir), { state: 'usable', certificate: b });
    assert.equal((await stat(join(dir, HUB_CERTIFICATE_DIR))).mode & 0o777, 0o700, 'the folder');
    assert.equal((await stat(hubCertificateFile(dir))).mode & 0o777, 0o600, 'the file, key included');
  });

  test('a data dir that does not exist yet is created', async () => {
    const absent = join(root, 'not-yet', 'data');
    await saveHubCertificate(absent, a);
    assert.deepEqual(await loadHubCertificate(absent), { state: 'usable', certificate: a });
  });
});
