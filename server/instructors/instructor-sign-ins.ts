import { createHash, randomBytes } from 'node:crypto';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';
import { GuessLimit } from '../support/guess-limit.ts';
import type { InstructorSecret } from './instructor-secret.ts';

/** The cookie that says "an instructor signed in here". */
export const INSTRUCTOR_COOKIE = 'drydock_instructor';
/** Wrong secrets an address may send at once, then per minute. */
const WRONG_SECRETS = { burst: 5, perMinute: 6 };
/** Sign-ins kept at once; the oldest go first (each is a few dozen bytes). */
const MAX_SIGN_INS = 1000;

export type SignInStore = Pick<Store, 'saveSignIn' | 'removeSignIns' | 'signIns'>;

/**
 * Instructors' signed-in browsers: a random token in an HttpOnly cookie, known here only by its
 * digest, with an expiry kept on the server (a stolen cookie stops working when it passes).
 * Wrong secrets all get the same answer and, past a few, the address waits. The store keeps
 * the digests, so a restart signs nobody out; checks read the copy in memory (they run on every
 * instructor request, and the store's writes are the rare sign-ins and sign-outs).
 */
export class InstructorSignIns {
  private readonly guesses: GuessLimit;

  private constructor(
    private readonly secret: InstructorSecret,
    private readonly lifetimeMs: number,
    private readonly store: SignInStore,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly expiries: Map<string, number>,
  ) {
    this.guesses = new GuessLimit(WRONG_SECRETS.burst, WRONG_SECRETS.perMinute, 'instructor secrets');
  }

  /** The sign-ins the store kept that have not expired. */
  static async load(
    secret: InstructorSecret,
    lifetimeMs: number,
    store: SignInStore,
    log: Logger,
    now: () => number = Date.now,
  ): Promise<InstructorSignIns> {
    await store.removeSignIns(undefined, now());
    const kept = new Map((await store.signIns()).map((s) => [s.tokenDigest, s.expiresAt]));
    return new InstructorSignIns(secret, lifetimeMs, store, log, now, kept);
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.lifetimeMs / 1000);
  }

  /** The new sign-in's token (for the cookie), or DD_INSTRUCTOR_SECRET_WRONG / DD_GUESS_RATE_LIMITED. */
  signIn(given: string, address: string): string {
    this.guesses.assertAllowed(address);
    if (!this.secret.matches(given)) {
      this.guesses.wrong(address);
      throw new DrydockError('DD_INSTRUCTOR_SECRET_WRONG', 'that is not the instructor secret');
    }
    this.forgetExpired();
    if (this.expiries.size >= MAX_SIGN_INS) this.forget(this.expiries.keys().next().value!);
    const token = randomBytes(32).toString('base64url');
    const signIn = { tokenDigest: digest(token), expiresAt: this.now() + this.lifetimeMs };
    this.expiries.set(signIn.tokenDigest, signIn.expiresAt);
    this.write(() => this.store.saveSignIn(signIn), 'the sign-in will not outlast a restart');
    return token;
  }

  signOut(token: string | undefined): void {
    if (token) this.forget(digest(token));
  }

  /** Whether this cookie value is a live sign-in. */
  isSignedIn(token: string | undefined): boolean {
    if (!token) return false;
    const expires = this.expiries.get(digest(token));
    return expires !== undefined && expires > this.now();
  }

  /** Throws DD_INSTRUCTOR_SIGN_IN (401) unless this cookie value is a live sign-in. */
  assertSignedIn(token: string | undefined): void {
    if (!this.isSignedIn(token)) throw new DrydockError('DD_INSTRUCTOR_SIGN_IN', 'this is for instructors: sign in with the instructor secret first');
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [key, expires] of this.expiries) if (expires <= now) this.expiries.delete(key);
  }

  /** Here at once; in the store too, along with whatever expired there. */
  private forget(tokenDigest: string): void {
    this.expiries.delete(tokenDigest);
    this.write(() => this.store.removeSignIns(tokenDigest, this.now()), 'a restart will bring the sign-in back until it expires');
  }

  /** A store that fails costs a sign-in its survival of a restart, never the request: logged, not thrown. */
  private write(operation: () => Promise<void>, consequence: string): void {
    operation().catch((err: unknown) => this.log.error({ err }, `could not write an instructor sign-in to the store: ${consequence}`));
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
