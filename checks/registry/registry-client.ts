import type { OutgoingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { ProbeFailure } from '../probe-failure.ts';
import type { HttpResponse } from '../support/http-request.ts';
import { classifyDeleteAnswer, errorCode, NO_SUCH_DIGEST, type DeleteAnswer } from './delete-probe.ts';
import { isManifestIndex, MANIFEST_ACCEPT } from './media-types.ts';

export type RegistryMethod = 'GET' | 'HEAD' | 'DELETE';

/** Sends one request to the registry; transport failures reject with a ProbeFailure. */
export type RegistryTransport = (method: RegistryMethod, path: string, headers?: OutgoingHttpHeaders) => Promise<HttpResponse>;

export interface Ping {
  status: number;
  /** The answer carries `Docker-Distribution-API-Version: registry/2.0`: it is a registry. */
  isRegistry: boolean;
  /** The `WWW-Authenticate` challenge of a 401, e.g. `Basic realm="Registry Realm"`. */
  challenge: string | undefined;
}

export interface ManifestRef {
  digest: string;
  mediaType: string;
}

const catalogPage = z.object({ repositories: z.array(z.string()).nullable().default([]) });
// 2.8 says `"tags": null` for a repository whose tags were all deleted.
const tagList = z.object({ tags: z.array(z.string()).nullable().default([]) });
const manifestBody = z.object({
  mediaType: z.string().optional(),
  config: z.object({ digest: z.string() }).optional(),
  manifests: z.array(z.object({ digest: z.string(), mediaType: z.string().optional() })).optional(),
});

/** A page limit: a runaway Link chain must not loop forever. */
const MAX_CATALOG_PAGES = 100;

/**
 * The Registry HTTP API V2 as checks need it: one registry, as one learner's client reaches it.
 * It changes nothing: its only DELETE names a manifest that cannot exist (probeDelete). Unexpected answers become ProbeFailures whose message names the registry.
 *
 * @example
 * const client = await target.registries.open({ registry: '127.0.0.1:5000', tls: false });
 * for await (const name of client.repositories()) if (name === 'hello-world') ...
 */
export class RegistryClient {
  constructor(
    /** How the learner names this registry, e.g. `127.0.0.1:5000`. */
    readonly label: string,
    private readonly send: RegistryTransport,
  ) {}

  /** `GET /v2/`: is it a registry, and does it let us in. */
  async ping(): Promise<Ping> {
    const res = await this.send('GET', '/v2/');
    if (servesHttps(res)) throw new ProbeFailure(`the registry on ${this.label} serves HTTPS, not plain HTTP`);
    return {
      status: res.status,
      isRegistry: res.headers['docker-distribution-api-version'] === 'registry/2.0',
      challenge: res.status === 401 ? header(res, 'www-authenticate') : undefined,
    };
  }

  /** Every repository name, page by page (`n`, then the `Link` header's next page). */
  async *repositories(pageSize = 1000): AsyncGenerator<string> {
    let path: string | undefined = `/v2/_catalog?n=${pageSize}`;
    for (let page = 0; path && page < MAX_CATALOG_PAGES; page++) {
      const res = this.expectOk(await this.send('GET', path), 'its catalog');
      yield* this.json(res, catalogPage, 'its catalog').repositories ?? [];
      path = nextPage(header(res, 'link'));
    }
  }

  /** Tags of a repository, or undefined when the registry does not know the repository. */
  async tags(repository: string): Promise<string[] | undefined> {
    const res = await this.send('GET', `/v2/${repository}/tags/list`);
    if (res.status === 404) return undefined;
    return this.json(this.expectOk(res, `the tags of ${repository}`), tagList, `the tags of ${repository}`).tags ?? [];
  }

  /** `HEAD` of a manifest by tag or digest: its digest and type, or undefined when absent. */
  async manifest(repository: string, reference: string): Promise<ManifestRef | undefined> {
    const res = await this.send('HEAD', `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    if (res.status === 404) return undefined;
    this.expectOk(res, `${repository}:${reference}`);
    return { digest: header(res, 'docker-content-digest') ?? '', mediaType: header(res, 'content-type') ?? '' };
  }

  /**
   * Digests that identify the image content of a manifest: the manifest's own digest and its
   * config digest (an engine's image ID), and for a list or index those of every entry.
   */
  async contentDigests(repository: string, reference: string): Promise<Set<string> | undefined> {
    const res = await this.send('GET', `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    if (res.status === 404) return undefined;
    this.expectOk(res, `${repository}:${reference}`);
    const digests = new Set([header(res, 'docker-content-digest') ?? '']);
    const body = this.json(res, manifestBody, `the manifest of ${repository}:${reference}`);
    if (body.config) digests.add(body.config.digest);
    if (isManifestIndex(body.mediaType ?? header(res, 'content-type') ?? '')) {
      for (const entry of body.manifests ?? []) {
        for (const d of (await this.contentDigests(repository, entry.digest)) ?? []) digests.add(d);
      }
    }
    return digests;
  }

  /**
   * Asks the registry to delete a manifest no registry has, to learn whether it deletes, refuses
   * deletes, or refuses every write (read-only mode).
   */
  async probeDelete(repository: string): Promise<DeleteAnswer> {
    const res = await this.send('DELETE', `/v2/${repository}/manifests/${NO_SUCH_DIGEST}`);
    if (servesHttps(res)) throw new ProbeFailure(`the registry on ${this.label} serves HTTPS, not plain HTTP`);
    return classifyDeleteAnswer(res);
  }

  private expectOk(res: HttpResponse, what: string): HttpResponse {
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status === 401) {
      throw new ProbeFailure(`the registry on ${this.label} asks for a login (${header(res, 'www-authenticate') ?? 'no challenge'}) to read ${what}`);
    }
    if (servesHttps(res)) throw new ProbeFailure(`the registry on ${this.label} serves HTTPS, not plain HTTP`);
    const code = errorCode(res.body);
    throw new ProbeFailure(`the registry on ${this.label} answered ${res.status}${code ? ` ${code}` : ''} when asked for ${what}`);
  }

  private json<T>(res: HttpResponse, schema: z.ZodType<T>, what: string): T {
    let value: unknown;
    try {
      value = JSON.parse(res.body);
    } catch {
      value = undefined;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ProbeFailure(`the registry on ${this.label} sent something unexpected for ${what}`);
    return parsed.data;
  }
}

/** Go's answer to plain HTTP on a TLS port. */
const servesHttps = (res: HttpResponse): boolean => res.status === 400 && /HTTP request to an HTTPS server/.test(res.body);

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `</v2/_catalog?last=b&n=2>; rel="next"` → `/v2/_catalog?last=b&n=2` (the link is relative). */
export function nextPage(link: string | undefined): string | undefined {
  const match = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!match) return undefined;
  const url = new URL(match[1]!, 'http://registry');
  return url.pathname + url.search;
}
