import { z } from 'zod';
import { REGISTRY_ADDRESS } from '../registry/registry-address.ts';

/** Parameter schemas several kinds share, with messages written for lab authors. */

export const absolutePath = z.string().startsWith('/', 'an absolute path in the host, such as /root/certs/domain.crt');

export const registryAddress = z.string().regex(REGISTRY_ADDRESS, 'an address with a port, as in an image name: 127.0.0.1:5000 or node2:5000');

/** How to reach the registry: the fields of a RegistryConnection. */
export const registryConnection = {
  registry: registryAddress,
  /** Speak HTTPS. Without `ca` the certificate is not verified, like an engine does for 127.0.0.1. */
  tls: z.boolean().default(false),
  /** A CA file in the host that the served certificate must chain to (implies tls). */
  ca: absolutePath.optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
};

/** Basic-auth credentials come in pairs. */
export function credentialsInPairs(p: { username?: string | undefined; password?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((p.username === undefined) !== (p.password === undefined)) {
    ctx.addIssue({ code: 'custom', path: [p.username === undefined ? 'username' : 'password'], message: 'username and password go together' });
  }
}

/** Repository names as the distribution spec allows them (`hello-world`, `team/app`). */
export const repositoryName = z
  .string()
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'a repository name such as hello-world or team/app');

export const tagName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'a tag such as latest or 1.0');

/** A local image reference: `hello-world`, `registry:2`, `127.0.0.1:5000/hello-world:latest`. */
export const imageReference = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'an image reference such as registry:2');

/** `5000:5000` (published:target, tcp), or `5000:5000/udp`. */
export const portMapping = z
  .string()
  .regex(/^\d{1,5}:\d{1,5}(\/(tcp|udp|sctp))?$/, 'published:target, such as 5000:5000')
  .transform((text) => {
    const [ports, protocol = 'tcp'] = text.split('/');
    const [published, target] = ports!.split(':').map(Number);
    return { published: published!, target: target!, protocol, text };
  });
export type PortMapping = z.output<typeof portMapping>;

/** A YAML list or a single value, as authors write either. */
export const oneOrMany = <T extends z.ZodType>(item: T) => z.union([z.array(item), item.transform((x) => [x])]);

/** A JavaScript regular expression, checked to compile. */
export const regularExpression = z
  .string()
  .min(1)
  .refine((source) => {
    try {
      return Boolean(new RegExp(source));
    } catch {
      return false;
    }
  }, 'a valid regular expression');
