import { z } from 'zod';
import { DrydockError } from '../errors/drydock-error.ts';

/**
 * The one configuration schema. Every setting comes from the environment (DRYDOCK_*), is parsed
 * and validated once at start, frozen, and passed down; nothing reads process.env elsewhere.
 */
const mebibytes = z.coerce.number().int().min(64).max(64 * 1024);

export const configSchema = z.object({
  /** Engine address: a unix socket path or tcp://host:port. */
  dockerHost: z.string().min(1).default('/var/run/docker.sock'),
  /** Labels every resource with this owner, so two Drydock servers can share one engine. */
  owner: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes').default('drydock'),
  hostMemoryMiB: mebibytes.default(1024),
  hostCpus: z.coerce.number().positive().max(64).default(1),
  hostPids: z.coerce.number().int().min(64).max(1_000_000).default(2048),
  /** Ready lab hosts kept waiting, so a learner's first prompt needs no cold start. */
  poolSize: z.coerce.number().int().min(0).max(100).default(2),
  /** Address range that session networks are cut from, one small subnet per session. */
  subnetPool: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'CIDR such as 10.213.0.0/16').default('10.213.0.0/16'),
  subnetPrefix: z.coerce.number().int().min(20).max(29).default(27),
  /**
   * Empty: the mirror is seeded with the locally built lesson images (works offline).
   * A URL (e.g. https://registry-1.docker.io): the mirror runs as a pull-through cache of it.
   */
  mirrorUpstream: z.union([z.literal(''), z.url()]).default(''),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** Environment variable for each setting: DRYDOCK_ + the key in SCREAMING_SNAKE_CASE. */
export function envName(key: string): string {
  return 'DRYDOCK_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[envName(key)];
    if (value !== undefined) raw[key] = value;
  }
  const parsed = configSchema.safeParse({ ...raw, ...overrides });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${envName(key)}: ${i.message}`;
    });
    throw new DrydockError('DD_CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(parsed.data);
}
