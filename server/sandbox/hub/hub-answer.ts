import { hubName } from '../images/image-ref.ts';
import { HUB_NAMES } from './hub-certificate.ts';

/** A registry API answer: status, JSON body (registry error format), extra headers. */
export interface HubAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface HubState {
  /** The images the mirror serves (`nginx`, `registry:2`), or undefined if it does not answer. */
  images: readonly string[] | undefined;
  /** The registry the mirror pulls through from; '' offline. */
  upstream: string;
}

/** Long lists are cut: the message must stay one readable line in a terminal. */
const MAX_LISTED = 25;

/**
 * What the Docker Hub stand-in answers. A lab host's engine tries its mirror first and, on any
 * error, Docker Hub; it prints the last endpoint's error, so this answer is what the learner
 * reads. Anyone gets an anonymous token and no one a login; every manifest, blob or tag read is a registry
 * error whose message says in one line why the image cannot be had and what can.
 */
export function answerHub(method: string, pathname: string, authorized: boolean, state: HubState): HubAnswer {
  if (method !== 'GET' && method !== 'HEAD') {
    return registryError(
      405,
      'UNSUPPORTED',
      `${offline(state)}: nothing can be pushed to Docker Hub from here; push to a registry of your own, e.g. 127.0.0.1:5000/NAME`,
      {
        allow: 'GET, HEAD',
      },
    );
  }
  if (pathname === '/v2/' || pathname === '/v2') {
    // Docker Hub's own kind of challenge: a pull fetches an anonymous token and goes on to the
    // manifest; `docker login` sends its password for one and is told why it fails (a /v2/ that
    // asked for nothing would make the engine print "Login Succeeded").
    return registryError(401, 'UNAUTHORIZED', `${offline(state)}: Docker Hub is not reachable from here`, {
      'www-authenticate': `Bearer realm="https://${HUB_NAMES[0]}/token",service="registry.docker.io"`,
    });
  }
  if (pathname === '/token') {
    if (!authorized) return { status: 200, body: { token: 'anonymous', access_token: 'anonymous' } };
    return registryError(
      401,
      'UNAUTHORIZED',
      `${offline(state)}: there is no Docker Hub to log in to from here; log in to a registry of your own (docker login HOST:PORT)`,
    );
  }
  const read = /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/.exec(pathname);
  if (!read) return registryError(404, 'NAME_UNKNOWN', `${offline(state)}: Docker Hub is not reachable from here`);
  const [, path, kind, reference] = read as unknown as [string, string, string, string];
  const image = kind === 'manifests' && !reference.includes(':') ? hubName({ path, tag: reference }) : hubName({ path, tag: 'latest' });
  const code = kind === 'manifests' ? 'MANIFEST_UNKNOWN' : kind === 'blobs' ? 'BLOB_UNKNOWN' : 'NAME_UNKNOWN';
  return registryError(404, code, notHere(image, state));
}

/** The one line: why `image` cannot be had, and what can. */
export function notHere(image: string, state: HubState): string {
  const where = state.upstream ? `neither in its mirror nor at ${state.upstream}` : 'not in its mirror';
  return `${offline(state)}: ${image} is ${where}; images here: ${listImages(state.images)} (ask whoever runs Drydock to add it)`;
}

function offline(state: HubState): string {
  return state.upstream ? 'this Drydock reaches Docker Hub only through its mirror' : 'this Drydock runs offline';
}

function listImages(images: readonly string[] | undefined): string {
  if (!images) return '(the mirror does not answer right now)';
  if (images.length === 0) return 'none';
  const more = images.length - MAX_LISTED;
  return images.slice(0, MAX_LISTED).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/** An error in the registry API's format, which the engine prints as `CODE: message`. */
export function registryError(status: number, code: string, message: string, headers: Record<string, string> = {}): HubAnswer {
  return { status, body: { errors: [{ code, message }] }, headers };
}
