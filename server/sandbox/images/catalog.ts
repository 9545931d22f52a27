import { fileURLToPath } from 'node:url';

/** Folder holding one build context per image (Dockerfile and files). */
export const IMAGES_DIR = fileURLToPath(new URL('../../../images/', import.meta.url));

/** Every image Dockerfile starts FROM this; it is pulled, or made from Debian packages offline. */
export const BASE_IMAGE = { ref: 'debian:bookworm-slim', suite: 'bookworm' } as const;

export const LABHOST_IMAGE = 'drydock/labhost:latest';

export interface ImageSpec {
  /** Repository name as learners (or the platform) use it. */
  repository: string;
  tags: string[];
  /** Build context folder under images/. */
  context: string;
  /** Seeded into the platform mirror as library/REPOSITORY, so `docker pull NAME` works in a host. */
  mirrored: boolean;
}

/**
 * The lesson images behave like the official images learners meet elsewhere. `registry` is the
 * 2.8 line under both tags: the lessons say so, and note what today's 3.x `latest` changes.
 */
export const IMAGES: readonly ImageSpec[] = [
  { repository: 'drydock/labhost', tags: ['latest'], context: 'labhost', mirrored: false },
  { repository: 'registry', tags: ['2', 'latest'], context: 'registry', mirrored: true },
  { repository: 'hello-world', tags: ['latest'], context: 'hello-world', mirrored: true },
  { repository: 'nginx', tags: ['latest'], context: 'nginx', mirrored: true },
];

/** The base image, mirrored too, so learners can build `FROM debian:bookworm-slim` in a host. */
export const MIRRORED_BASE = { repository: 'debian', tags: ['bookworm-slim'] } as const;

/** Name and tag pairs pushed to the mirror, as local image refs. */
export function mirroredRefs(): { local: string; repository: string; tag: string }[] {
  const refs = IMAGES.filter((i) => i.mirrored).flatMap((i) =>
    i.tags.map((tag) => ({ local: `${i.repository}:${tag}`, repository: i.repository, tag })),
  );
  refs.push({ local: BASE_IMAGE.ref, repository: MIRRORED_BASE.repository, tag: MIRRORED_BASE.tags[0] });
  return refs;
}
