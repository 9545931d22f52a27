import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyDeleteAnswer } from './delete-probe.ts';

const registry = { 'docker-distribution-api-version': 'registry/2.0' };

// The integration tests meet 2.8's answers; these are the others registry-facts §2 names.
test('a delete answer is classified by status, error body and the registry header', () => {
  const answer = (status: number, body: string, headers: Record<string, string> = registry) => classifyDeleteAnswer({ status, body, headers });
  assert.deepEqual(answer(401, '{"errors":[{"code":"UNAUTHORIZED"}]}'), { stance: 'login', said: '401 UNAUTHORIZED' });
  assert.deepEqual(answer(404, '{"errors":[{"code":"NAME_UNKNOWN"}]}'), { stance: 'allowed', said: '404 NAME_UNKNOWN' });
  assert.deepEqual(answer(405, 'Method not allowed\n'), { stance: 'read-only', said: '405 Method not allowed' });
  assert.deepEqual(answer(503, ''), { stance: 'unexpected', said: '503 with no body' });
  assert.deepEqual(answer(404, '<html>Not Found</html>', {}), { stance: 'not-registry', said: '404 <html>Not Found</html>' });
});
