import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { confineSetCookie, cookiesForUpstream, isDrydockCookie } from './port-cookies.ts';

const prefix = '/sessions/s1/ports/node1/8000';

describe('cookies across the port proxy', () => {
  test("a service's cookies move under its own port path, without Domain", () => {
    const cases: [string, string, string][] = [
      ['global=1; Path=/', '/', `global=1; Path=${prefix}/`],
      ['a=1; path=/app; HttpOnly', '/', `a=1; HttpOnly; Path=${prefix}/app`],
      ['a=1; Domain=example.com; Secure', '/', `a=1; Secure; Path=${prefix}/`],
      ['a=1; domain=.localhost; Path=/x; Path=/', '/', `a=1; Path=${prefix}/`],
      ['a=1', '/app/login?next=/', `a=1; Path=${prefix}/app`],
      ['a=1', '/login', `a=1; Path=${prefix}/`],
      ['a=1; Path=relative', '/app/login', `a=1; Path=${prefix}/app`],
      ['a=1; Path=/../../..', '/', `a=1; Path=${prefix}/../../..`],
      ['a=b=c; Max-Age=10; SameSite=Lax', '/', `a=b=c; Max-Age=10; SameSite=Lax; Path=${prefix}/`],
    ];
    for (const [header, upstreamPath, expected] of cases) assert.equal(confineSetCookie(header, prefix, upstreamPath), expected, header);
  });

  test("a cookie named like one of Drydock's is dropped whole", () => {
    for (const header of [
      'drydock_port_other=planted; Path=/sessions/other/ports/',
      'drydock_port_s1=planted; Path=/sessions/s1/ports/',
      'DRYDOCK_port_s1=x',
      ' drydock_anything=x',
      '__Host-drydock_port_s1=x; Path=/',
      '__Secure-drydock_port_s1=x; Secure',
      'drydock_port_s1',
    ]) {
      assert.equal(confineSetCookie(header, prefix, '/'), undefined, header);
    }
    assert.equal(isDrydockCookie('mydrydock_x=1'), false);
  });

  test("the service is sent the learner's cookies, never any of Drydock's", () => {
    assert.equal(cookiesForUpstream('drydock_port_s1=tok; theirs=1; drydock_port_other=x; Drydock_x=y; b=2'), 'theirs=1; b=2');
    assert.equal(cookiesForUpstream('drydock_port_s1=tok'), undefined);
    assert.equal(cookiesForUpstream(undefined), undefined);
  });
});
