import { z } from 'zod';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import type { EngineInfo } from '../engine/engine-types.ts';
import { oneOrMany } from './params.ts';

const RELOAD = 'in /etc/docker/daemon.json, then reload the engine (kill -HUP $(pidof dockerd)) or restart it (systemctl restart docker)';

/**
 * Settings the engine has in force (what `docker info` shows), not what daemon.json says: an
 * edited file without a reload does not pass.
 */
export const daemonConfig = defineCheckKind({
  name: 'daemon-config',
  summary: 'the engine has these registry mirrors and insecure registries in force',
  params: z
    .strictObject({
      /** Mirror URLs, e.g. http://node1:5000. */
      mirrors: oneOrMany(z.url()).optional(),
      /** `host:port` entries or CIDR ranges the engine must treat as insecure. */
      insecureRegistries: oneOrMany(z.string().min(1)).optional(),
    })
    .refine((p) => p.mirrors || p.insecureRegistries, { message: 'give mirrors, insecureRegistries, or both' }),
  describe: (p) =>
    [
      ...(p.mirrors ? [`the engine uses the mirror ${p.mirrors.join(', ')}`] : []),
      ...(p.insecureRegistries ? [`the engine treats ${p.insecureRegistries.join(', ')} as insecure`] : []),
    ].join(' and '),
  async run(p, target) {
    const info = await target.engine.info();
    const engine = `the engine of ${target.host.name}`;
    const mirrors = (info.RegistryConfig?.Mirrors ?? []).map(withSlash);
    for (const mirror of p.mirrors ?? []) {
      if (!mirrors.includes(withSlash(mirror))) {
        return fail(`${engine} does not use the mirror ${mirror} (it uses ${mirrors.join(', ') || 'none'}): add it to "registry-mirrors" ${RELOAD}`);
      }
    }
    for (const entry of p.insecureRegistries ?? []) {
      if (!isInsecure(info, entry)) return fail(`${engine} does not treat ${entry} as insecure: add it to "insecure-registries" ${RELOAD}`);
    }
    return pass(`${engine} has these settings in force`);
  },
});

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

function isInsecure(info: EngineInfo, entry: string): boolean {
  const config = info.RegistryConfig;
  if (entry.includes('/')) return (config?.InsecureRegistryCIDRs ?? []).includes(entry);
  return config?.IndexConfigs[entry]?.Secure === false;
}
