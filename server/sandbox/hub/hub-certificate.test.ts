import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestSandbox, testConfig } from '../../test-support/sandbox.ts';
import { hubCertificateFile, loadHubCertificate } from './hub-certificate-store.ts';

// Integration: the real engine makes the set (openssl in a lab-host container) at the first start.
describe('the Docker Hub stand-in certificate across a restart', { timeout: 240_000 }, () => {
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'drydock-hub-cert-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('a second start with the same data dir serves the same CA, so adopted hosts keep trusting it', async () => {
    const config = testConfig({ dataDir });
    const first = await startTestSandbox(config);
    // The owner's lease allows one running sandbox at a time, as in a real restart.
    await first.close();
    const second = await startTestSandbox(config);
    try {
      assert.equal(second.hubCertificate.caPem, first.hubCertificate.caPem);
      assert.deepEqual(second.hubCertificate, first.hubCertificate);
    } finally {
      await second.close();
    }
    const stored = await loadHubCertificate(dataDir);
    assert.deepEqual(stored, { state: 'usable', certificate: first.hubCertificate }, `kept in ${hubCertificateFile(dataDir)}`);
  });
});
