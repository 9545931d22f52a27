/**
 * Every container, network and volume the platform creates carries these labels, so the
 * start-up sweep and tear-down find exactly what is theirs and nothing else.
 */
export const LABEL = {
  managed: 'io.drydock.managed',
  owner: 'io.drydock.owner',
  role: 'io.drydock.role',
  session: 'io.drydock.session',
  host: 'io.drydock.host',
  imageHash: 'io.drydock.image-hash',
  /** The version of a platform container's settings, so a changed setting recreates it. */
  spec: 'io.drydock.spec',
} as const;

export type Role = 'host' | 'session-network' | 'pool-network' | 'mirror' | 'mirror-seeder' | 'mirror-data' | 'lease';

export function labelsFor(owner: string, role: Role, extra: Record<string, string> = {}): Record<string, string> {
  return { [LABEL.managed]: 'true', [LABEL.owner]: owner, [LABEL.role]: role, ...extra };
}

/** A Docker list filter that matches one owner's resources, optionally of one role. */
export function ownerFilter(owner: string, role?: Role): { label: string[] } {
  const label = [`${LABEL.managed}=true`, `${LABEL.owner}=${owner}`];
  if (role) label.push(`${LABEL.role}=${role}`);
  return { label };
}
