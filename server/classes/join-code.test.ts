import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_ALPHABET, CODE_LENGTH, newJoinCode, normalizeCode } from './join-code.ts';

test('codes are six characters without look-alikes', () => {
  for (const c of '0O1IL2Z5S8BUVQ') assert.ok(!CODE_ALPHABET.includes(c), c);
  const codes = new Set(Array.from({ length: 2000 }, newJoinCode));
  assert.ok(codes.size > 1990, 'codes repeat too often');
  for (const code of codes) assert.match(code, new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
});

test('a code typed in lower case or with a space or dash is the same code', () => {
  assert.equal(normalizeCode('ac-d 3k7'), 'ACD3K7');
});
