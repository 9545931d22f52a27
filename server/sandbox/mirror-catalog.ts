import { hubName } from './images/image-ref.ts';

/** More repositories than any mirror of lesson images holds; a bound on what one read costs. */
const MAX_REPOSITORIES = 500;
const READ_MS = 5000;

/**
 * Every `name:tag` the mirror serves, as learners write them on Docker Hub (`alpine:3.19`,
 * `nginx` for `nginx:latest`), sorted. Undefined when the mirror does not answer.
 */
export async function readMirrorCatalog(mirrorUrl: string): Promise<string[] | undefined> {
  const catalog = await getJson<{ repositories?: string[] }>(`${mirrorUrl}/v2/_catalog?n=${MAX_REPOSITORIES}`);
  if (!catalog) return undefined;
  const names = await Promise.all(
    (catalog.repositories ?? []).map(async (path) => {
      const list = await getJson<{ tags?: string[] | null }>(`${mirrorUrl}/v2/${path}/tags/list`);
      return (list?.tags ?? []).map((tag) => hubName({ path, tag }));
    }),
  );
  return names.flat().sort();
}

async function getJson<T>(url: string): Promise<T | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(READ_MS) }).catch(() => undefined);
  return res?.ok ? ((await res.json().catch(() => undefined)) as T | undefined) : undefined;
}
