import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { confineAddress, confineRefresh, type ServiceScope } from './port-redirect.ts';

const scope: ServiceScope = {
  prefix: '/sessions/s1/ports/node1/8000',
  sessionPorts: '/sessions/s1/ports',
  hostName: 'node1',
  address: '10.99.0.2',
  port: 8000,
  upstreamPath: '/app/page?x=1',
};

describe('addresses a service hands the browser', () => {
  test('stay inside the port path when they point at the service or its host', () => {
    const inside: [string, string][] = [
      ['/v2/', '/sessions/s1/ports/node1/8000/v2/'],
      ['next?a=b#top', '/sessions/s1/ports/node1/8000/app/next?a=b#top'],
      ['../up', '/sessions/s1/ports/node1/8000/up'],
      ['/../../../../api/sessions', '/sessions/s1/ports/node1/8000/api/sessions'],
      ['/%2e%2e/%2e%2e/x', '/sessions/s1/ports/node1/8000/x'],
      ['', '/sessions/s1/ports/node1/8000/app/page?x=1'],
      ['?only=query', '/sessions/s1/ports/node1/8000/app/page?only=query'],
      ['http://node1:8000/x', '/sessions/s1/ports/node1/8000/x'],
      ['http://NODE1:8000/x', '/sessions/s1/ports/node1/8000/x'],
      ['http://localhost:8080/x', '/sessions/s1/ports/node1/8080/x'],
      ['http://127.0.0.1/x', '/sessions/s1/ports/node1/80/x'],
      ['https://node1/x', '/sessions/s1/ports/node1/443/x'],
      ['http://[::1]:5000/v2/', '/sessions/s1/ports/node1/5000/v2/'],
      ['http://10.99.0.2:8000/x', '/sessions/s1/ports/node1/8000/x'],
      ['http://node1:8000//evil.example/x', '/sessions/s1/ports/node1/8000//evil.example/x'],
      // A service that honours X-Forwarded-Prefix already includes it.
      ['/sessions/s1/ports/node1/8000/x', '/sessions/s1/ports/node1/8000/x'],
      ['/sessions/s1/ports/node1/8000', '/sessions/s1/ports/node1/8000'],
      ['/sessions/s1/ports/node1/80001/x', '/sessions/s1/ports/node1/8000/sessions/s1/ports/node1/80001/x'],
      ['/sessions/other/ports/node1/8000/x', '/sessions/s1/ports/node1/8000/sessions/other/ports/node1/8000/x'],
    ];
    for (const [address, expected] of inside) assert.deepEqual(confineAddress(address, scope), { inside: expected }, address);
  });

  test('are refused when they leave for another site or scheme', () => {
    const refused: [string, RegExp][] = [
      ['https://evil.example/phish', /another site \(https:\/\/evil\.example\)/],
      ['//evil.example/x', /another site \(http:\/\/evil\.example\)/],
      ['/\\evil.example', /another site/],
      ['\\\\evil.example', /another site/],
      ['/\t/evil.example', /another site/],
      [' //evil.example', /another site/],
      ['http://node1.evil.example/', /another site/],
      ['http://node2:5000/', /another site/],
      ['http://node1@evil.example/', /another site/],
      ['http://evil.example@node1:8000/', /credentials/],
      ['javascript:alert(1)', /a javascript: address/],
      ['JavaScript:alert(1)', /a javascript: address/],
      ['data:text/html,hi', /a data: address/],
      ['ftp://node1/x', /a ftp: address/],
      ['http://[::1', /not a valid URL/],
    ];
    for (const [address, reason] of refused) {
      const confined = confineAddress(address, scope);
      assert.ok('refused' in confined, `${address} → ${JSON.stringify(confined)}`);
      assert.match(confined.refused, reason, address);
    }
  });

  test('Refresh keeps its delay and confines its address', () => {
    assert.deepEqual(confineRefresh('5', scope), { inside: '5' });
    assert.deepEqual(confineRefresh('0; url=/next', scope), { inside: '0; url=/sessions/s1/ports/node1/8000/next' });
    assert.deepEqual(confineRefresh("0;URL='/next'", scope), { inside: '0; url=/sessions/s1/ports/node1/8000/next' });
    assert.deepEqual(confineRefresh('3, next', scope), { inside: '3; url=/sessions/s1/ports/node1/8000/app/next' });
    assert.ok('refused' in confineRefresh('0; url=https://evil.example/', scope));
    assert.ok('refused' in confineRefresh('0;url="//evil.example"', scope));
    assert.ok('refused' in confineRefresh('soon', scope));
  });
});
