import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confineAnswerHeaders } from './port-answer.ts';
import type { ServiceScope } from './port-redirect.ts';

const scope: ServiceScope = {
  prefix: '/sessions/s1/ports/node1/80',
  sessionPorts: '/sessions/s1/ports',
  hostName: 'node1',
  address: '10.99.0.2',
  port: 80,
  upstreamPath: '/',
};

test('an answer keeps its other headers in order, with addresses and cookies confined', () => {
  const raw = [
    'Content-Type',
    'text/html',
    'Location',
    '/next',
    'Set-Cookie',
    'a=1; Path=/',
    'Set-Cookie',
    'drydock_port_s1=x',
    'Content-Location',
    'https://cdn.example/x',
    'X-Other',
    'y',
  ];
  assert.deepEqual(confineAnswerHeaders(raw, scope), {
    headers: [
      ['Content-Type', 'text/html'],
      ['Location', '/sessions/s1/ports/node1/80/next'],
      ['Set-Cookie', 'a=1; Path=/sessions/s1/ports/node1/80/'],
      ['X-Other', 'y'],
    ],
  });
});

test('a redirect or Refresh that leaves refuses the whole answer, with the reason', () => {
  assert.deepEqual(confineAnswerHeaders(['location', 'https://evil.example/phish'], scope), {
    refused: 'the service on node1:80 sent the browser to another site (https://evil.example), outside this lab',
  });
  assert.ok('refused' in confineAnswerHeaders(['Refresh', '0; url=javascript:alert(1)'], scope));
});
