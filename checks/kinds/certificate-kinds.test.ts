import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inlineLab, lineOf, parseInline, problems } from '../../server/test-support/inline-lab.ts';
import { checkSession } from '../../server/test-support/check-session.ts';
import { check, waitForUrl } from '../test-support/check-runner.ts';

// Certificates made with openssl in a real lab host, as files and as served by a real registry.
describe('certificate-valid-for and certificate-matches-key', { timeout: 300_000 }, () => {
  const { run, context } = checkSession(['node1'], (s) => s.run('docker pull -q registry:2'));
  const verdict = async (kind: string, params: Record<string, unknown>) => {
    const { passed, message } = await check(context(), kind, params);
    return { passed, message };
  };
  const make = (name: string, san?: string) =>
    run(
      `mkdir -p /root/certs && cd /root/certs && openssl req -newkey rsa:2048 -nodes -sha256 -keyout ${name}.key -x509 -days 1 -subj "/CN=node1" ${san ? `-addext "subjectAltName = ${san}"` : ''} -out ${name}.crt 2>/dev/null`,
    );

  test('certificate-valid-for a file: every name, by subjectAltName only', async () => {
    const validFor = (names: string | string[], file = '/root/certs/domain.crt') => verdict('certificate-valid-for', { file, names });
    assert.deepEqual(await validFor('node1'), { passed: false, message: 'there is no /root/certs/domain.crt in node1 (make the certificate first)' });
    await make('domain');
    assert.deepEqual(await validFor('node1'), {
      passed: false,
      message:
        '/root/certs/domain.crt has no subjectAltName (only CN=node1), and clients ignore the CN: make it again with -addext "subjectAltName = DNS:node1"',
    });
    await make('domain', 'DNS:node1');
    assert.deepEqual(await validFor('node1'), { passed: true, message: '/root/certs/domain.crt is valid for DNS:node1' });
    assert.deepEqual(await validFor(['node1', 'registry.example.com', '10.0.0.5']), {
      passed: false,
      message:
        '/root/certs/domain.crt is not valid for DNS:registry.example.com, IP:10.0.0.5 (it names DNS:node1): make it again with -addext "subjectAltName = DNS:node1,DNS:registry.example.com,IP:10.0.0.5"',
    });
    assert.deepEqual(await validFor('node2'), {
      passed: false,
      message: '/root/certs/domain.crt is not valid for DNS:node2 (it names DNS:node1): make it again with -addext "subjectAltName = DNS:node2"',
    });
    await make('wide', 'DNS:node1,DNS:*.example.com,IP:10.0.0.5');
    assert.equal((await validFor(['node1', 'registry.example.com', '10.0.0.5'], '/root/certs/wide.crt')).passed, true, 'wildcards and addresses');
    assert.equal((await validFor('10.0.0.6', '/root/certs/wide.crt')).passed, false);
    await run('echo not a certificate > /root/certs/junk.crt');
    assert.match((await validFor('node1', '/root/certs/junk.crt')).message, /^\/root\/certs\/junk.crt is not a certificate in PEM form/);
  });

  test('certificate-valid-for a registry: the certificate it serves', async () => {
    await make('served', 'DNS:node1,IP:127.0.0.1');
    await run(`docker run -d --name tls -p 5443:5000 -v /root/certs:/certs -e REGISTRY_HTTP_TLS_CERTIFICATE=/certs/served.crt -e REGISTRY_HTTP_TLS_KEY=/certs/served.key registry:2 &&
      ${waitForUrl('https://127.0.0.1:5443/v2/', '-k')}`);
    assert.deepEqual(await verdict('certificate-valid-for', { registry: 'node1:5443', names: ['node1', '127.0.0.1'] }), {
      passed: true,
      message: 'the certificate served on node1:5443 is valid for DNS:node1, IP:127.0.0.1',
    });
    assert.match(
      (await verdict('certificate-valid-for', { registry: '127.0.0.1:5443', names: 'registry.example.com' })).message,
      /^the certificate served on 127.0.0.1:5443 is not valid for DNS:registry.example.com \(it names DNS:node1, IP Address:127.0.0.1\)/,
    );
    assert.match(
      (await verdict('certificate-valid-for', { registry: '127.0.0.1:5444', names: 'node1' })).message,
      /^nothing answers on 127.0.0.1:5444/,
    );
  });

  test('certificate-matches-key: the pair made together, not two separate ones', async () => {
    const matches = (key: string) => verdict('certificate-matches-key', { certificate: '/root/certs/domain.crt', key });
    assert.deepEqual(await matches('/root/certs/domain.key'), {
      passed: true,
      message: '/root/certs/domain.key is the key of /root/certs/domain.crt',
    });
    assert.deepEqual(await matches('/root/certs/wide.key'), {
      passed: false,
      message:
        '/root/certs/wide.key does not belong to /root/certs/domain.crt (made separately, or one made again since?): make both again with one openssl req command',
    });
    assert.deepEqual(await matches('/root/certs/none.key'), {
      passed: false,
      message: 'there is no /root/certs/none.key in node1 (make the key first)',
    });
    assert.match((await matches('/root/certs/domain.crt')).message, /^\/root\/certs\/domain.crt is not an unencrypted private key in PEM form/);
  });
});

// Lab authors meet a wrong parameter when the lab loads, on its line, not when a learner checks.
test('certificate kinds: parameters are checked when the lab loads', () => {
  const step = (check: string) => inlineLab(`## A step\n\`\`\`check\n${check}\n\`\`\`\n### Solution\n\`\`\`bash node1\ntrue\n\`\`\`\n`);
  const source = step(
    [
      '- kind: certificate-valid-for',
      '  names: node1',
      '- kind: certificate-valid-for',
      '  file: /root/certs/domain.crt',
      '  registry: node1:5000',
      '  names: [node1, "node 1"]',
      '- kind: certificate-matches-key',
      '  certificate: domain.crt',
      '  key: /root/certs/domain.key',
    ].join('\n'),
  );
  assert.deepEqual(problems(parseInline(source)), [
    `${lineOf(source, '- kind: certificate-valid-for')}: certificate-valid-for: "file": give file (a certificate in the host) or registry (the certificate it serves)`,
    `${lineOf(source, 'registry: node1:5000')}: certificate-valid-for: "registry": give file or registry, not both`,
    `${lineOf(source, '"node 1"')}: certificate-valid-for: "names.1": a DNS name such as node1, or an IP address such as 10.0.0.5`,
    `${lineOf(source, 'certificate: domain.crt')}: certificate-matches-key: "certificate": an absolute path in the host, such as /root/certs/domain.crt`,
  ]);
});
