import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { LearnerRecord, Store } from '../store/store.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { cookieValues } from '../support/cookie-values.ts';

/** A learner is a browser: this cookie holds its secret, and the store knows only the secret's digest. */
export const LEARNER_COOKIE = 'drydock_learner';

const SECRET_BYTES = 32;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;
/** 32 bytes in base64url, unpadded. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What learnerOf reads of a request: express's Request has both (`secure` follows DRYDOCK_TRUST_PROXY). */
export interface CookieRequest {
  headers: IncomingHttpHeaders;
  secure: boolean;
}

export interface CookieResponse {
  appendHeader(name: string, value: string): unknown;
}

/** The learner id for a cookie's secret: its sha256 in hex. */
export function learnerIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The learner this browser is. A cookie the server issued (its learner is in the store) is
 * trusted; a missing, malformed or unknown one is replaced with a new secret and a new learner,
 * so nobody can pick a learner id by making up a cookie.
 *
 * @example
 * router.get('/', async (req, res) => res.json(await progress.me((await learnerOf(store, req, res)).id)));
 */
export async function learnerOf(store: Store, req: CookieRequest, res: CookieResponse, now = Date.now()): Promise<LearnerRecord> {
  const values = cookieValues(req.headers.cookie, LEARNER_COOKIE);
  // The server sets one, on Path=/. A second was set by script on another origin of this host (a
  // proxied port) to make this browser someone else: refuse rather than pick one.
  if (values.length > 1)
    throw new DrydockError(
      'DD_COOKIE_CONFLICT',
      `this browser sent ${values.length} ${LEARNER_COOKIE} cookies; a page on another port of this host set one. ` +
        "Clear this site's cookies (your lab progress is kept on the server), and ask the operator to give proxied ports a host name of their own (DRYDOCK_PORTS_ORIGIN)",
    );
  const sent = values[0];
  if (sent && SECRET_SHAPE.test(sent)) {
    const known = await store.getLearner(learnerIdOf(sent));
    if (known) return known;
  }
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  res.appendHeader('set-cookie', learnerCookie(secret, req.secure));
  return store.ensureLearner(learnerIdOf(secret), now);
}

function learnerCookie(secret: string, secure: boolean): string {
  // Lax: the cookie still comes along when a learner follows a class link from elsewhere.
  return `${LEARNER_COOKIE}=${secret}; Max-Age=${ONE_YEAR_SECONDS}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
