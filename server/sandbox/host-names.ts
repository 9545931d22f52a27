import { DrydockError } from '../errors/drydock-error.ts';

/** Hostnames and DNS names at once: lower-case letters, digits and dashes, starting with a letter. */
const HOST_NAME = /^[a-z][a-z0-9-]{0,30}$/;
export const MAX_HOSTS_PER_SESSION = 8;

export function validateHostNames(names: readonly string[]): string[] {
  if (names.length === 0) throw new DrydockError('DD_SESSION_INVALID', 'a session needs at least one host');
  if (names.length > MAX_HOSTS_PER_SESSION) {
    throw new DrydockError('DD_SESSION_INVALID', `a session has at most ${MAX_HOSTS_PER_SESSION} hosts, not ${names.length}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (!HOST_NAME.test(name)) {
      throw new DrydockError(
        'DD_SESSION_INVALID',
        `host name "${name}" is not valid: use lower-case letters, digits and dashes, starting with a letter (at most 31)`,
      );
    }
    if (seen.has(name)) throw new DrydockError('DD_SESSION_INVALID', `host name "${name}" appears twice`);
    seen.add(name);
  }
  return [...names];
}
