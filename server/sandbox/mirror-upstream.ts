/** Docker Hub's registry API, which `auto` probes and the mirror then pulls through from. */
export const DOCKER_HUB = 'https://registry-1.docker.io';

/** Long enough for a slow link's TLS handshake, short enough not to hold up an offline start. */
const PROBE_MS = 3000;

/**
 * The registry the mirror pulls through from, or '' for none. `auto` is Docker Hub when its
 * /v2/ answers at all (401 is its normal answer), else none: an offline machine starts as fast
 * as before and its mirror serves only its own images.
 */
export async function resolveMirrorUpstream(setting: string, probe: (url: string) => Promise<boolean> = answers): Promise<string> {
  if (setting !== 'auto') return setting;
  return (await probe(`${DOCKER_HUB}/v2/`)) ? DOCKER_HUB : '';
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(PROBE_MS) }).then(
    (res) => res.status < 500,
    () => false,
  );
}
