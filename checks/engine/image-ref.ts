/** An image reference split the way the engine reads it. */
export interface ImageRef {
  /** Repository with its registry, Docker Hub's defaults removed: `registry`, `127.0.0.1:5000/hello-world`. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** `docker.io/library/registry:2` → { repository: 'registry', tag: '2' }. */
export function parseImageRef(text: string): ImageRef {
  const [nameAndTag = '', digest] = text.split('@');
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  let repository = colon > slash ? nameAndTag.slice(0, colon) : nameAndTag;
  repository = repository.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  return { repository, tag, digest };
}

/**
 * Whether an image a container runs (as written when it was started) is the one a lab names.
 * A lab name without a tag accepts any tag of the repository (`registry` matches `registry:2`);
 * with a tag, only that tag (a missing tag is `latest`).
 */
export function sameImage(wanted: string, actual: string): boolean {
  const w = parseImageRef(wanted);
  const a = parseImageRef(actual);
  if (w.repository !== a.repository) return false;
  if (w.digest) return w.digest === a.digest;
  return w.tag === undefined || w.tag === (a.tag ?? 'latest');
}
