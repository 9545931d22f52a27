import type { HubState } from './hub-answer.ts';

/** How long the mirror's image list is reused: reading it is one request per repository. */
const CATALOG_MS = 10_000;

/** The mirror's state, read at most every CATALOG_MS whatever the request rate. */
export function cachedHubState(read: () => Promise<HubState>, now: () => number = () => performance.now()): () => Promise<HubState> {
  let cached: { at: number; state: Promise<HubState> } | undefined;
  return () => {
    if (!cached || now() - cached.at > CATALOG_MS) cached = { at: now(), state: read() };
    return cached.state;
  };
}
