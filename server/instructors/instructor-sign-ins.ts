import { createHash, randomBytes } from 'node:crypto';
import { DrydockError } from '../errors/drydock-error.ts';
import { GuessLimit } from '../support/guess-limit.ts';
import type { InstructorSecret } from './instructor-secret.ts';

/** The cookie that says "an instructor signed in here". */
export const INSTRUCTOR_COOKIE = 'drydock_instructor';
/** Wrong secrets an address may send at once, then per minute. */
const WRONG_SECRETS = { burst: 5, perMinute: 6 };
/** Sign-ins kept at once; the oldest go first (each is a few dozen bytes). */
const MAX_SIGN_INS = 1000;

/**
 * Instructors' signed-in browsers: a random token in an HttpOnly cookie, known here only by its
 * digest, with an expiry kept on the server (a stolen cookie stops working when it passes).
 * Wrong secrets all get the same answer and, past a few, the address waits.
 */
export class InstructorSignIns {
  private readonly expiries = new Map<string, number>();
  private readonly guesses: GuessLimit;

  constructor(
    private readonly secret: InstructorSecret,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.guesses = new GuessLimit(WRONG_SECRETS.burst, WRONG_SECRETS.perMinute, 'instructor secrets');
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
    if (this.expiries.size >= MAX_SIGN_INS) this.expiries.delete(this.expiries.keys().next().value!);
    const token = randomBytes(32).toString('base64url');
    this.expiries.set(digest(token), this.now() + this.lifetimeMs);
    return token;
  }

  signOut(token: string | undefined): void {
    if (token) this.expiries.delete(digest(token));
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
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
