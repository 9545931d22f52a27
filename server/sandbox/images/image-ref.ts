/**
 * An image reference as the docker CLI reads it (distribution's reference grammar, simplified
 * to what names and tags can hold): `nginx`, `registry:2`, `myorg/tool:1`,
 * `docker.io/library/alpine:3.19`, `127.0.0.1:5000/hello-world`, `alpine@sha256:...`.
 */
export interface ImageRef {
  /** The registry host, '' for Docker Hub (docker.io and index.docker.io count as it). */
  registry: string;
  /** Docker Hub's path: `library/alpine` for an official image. */
  path: string;
  tag: string;
  digest: string | undefined;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,}$/;
const HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Parses a reference; undefined when it is not one (a variable, a path, a typo with capitals). */
export function parseImageRef(text: string): ImageRef | undefined {
  const [nameAndTag = '', digest, ...rest] = text.split('@');
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const parts = nameAndTag.split('/');
  // A first part with a dot or a port, or `localhost`, is a registry host (as the CLI decides).
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? parts.shift()! : '';
  const last = parts.pop() ?? '';
  const colon = last.lastIndexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : 'latest';
  parts.push(colon >= 0 ? last.slice(0, colon) : last);
  if (!TAG.test(tag) || parts.some((p) => !COMPONENT.test(p))) return undefined;
  if (hasHost && !/^[a-zA-Z0-9.-]+(?::\d+)?$/.test(host)) return undefined;
  const registry = HUB_NAMES.has(host) ? '' : host;
  const path = !registry && parts.length === 1 ? `library/${parts[0]}` : parts.join('/');
  return { registry, path, tag, digest };
}

/** How learners write a Docker Hub image: `alpine:3.19`, `myorg/tool:1` (`:latest` left out). */
export function hubName(ref: Pick<ImageRef, 'path' | 'tag'>): string {
  const name = ref.path.replace(/^library\//, '');
  return ref.tag === 'latest' ? name : `${name}:${ref.tag}`;
}
