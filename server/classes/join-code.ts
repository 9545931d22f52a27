import { randomInt } from 'node:crypto';

/**
 * Letters and digits a learner copies from a projector without mistakes: no 0/O/Q, 1/I/L, 2/Z,
 * 5/S, 8/B, U/V. 22 symbols over 6 places give 113 million codes, so a guess rarely lands, and
 * wrong guesses are rate-limited on top.
 */
export const CODE_ALPHABET = 'ACDEFGHJKMNPRTWXY34679';
export const CODE_LENGTH = 6;

export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A code as typed (lower case, spaces or a dash in the middle) in the form it is stored. */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** The join page for a code (the browser adds its origin). */
export function joinPath(code: string): string {
  return `/#/join/${code}`;
}
