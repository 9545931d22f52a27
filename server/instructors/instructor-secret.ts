import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';

/** The store setting that keeps the generated secret's digest. */
export const SECRET_SETTING = 'instructor-secret-sha256';

/**
 * What instructors sign in with, as a digest: the configured secret, or one generated at the
 * first start, printed once and kept only as its digest. sha256 suffices: a generated secret has
 * 144 random bits, a chosen one at least 12 characters, and guesses are rate-limited.
 */
export class InstructorSecret {
  private constructor(private readonly digest: Buffer) {}

  static async load(configured: string, store: Store, log: Logger): Promise<InstructorSecret> {
    if (configured) return new InstructorSecret(sha256(configured));
    const kept = await store.getSetting(SECRET_SETTING);
    if (kept) return new InstructorSecret(Buffer.from(kept, 'hex'));
    const secret = randomBytes(18).toString('base64url');
    await store.setSetting(SECRET_SETTING, sha256(secret).toString('hex'));
    log.warn(
      `Instructor secret, shown this once: ${secret}\n` +
        'Sign in with it on the instructor page (/#/instructor). Only its digest is kept; to choose your own, ' +
        'set DRYDOCK_INSTRUCTOR_SECRET (at least 12 characters) and restart.',
    );
    return new InstructorSecret(sha256(secret));
  }

  matches(given: string): boolean {
    return timingSafeEqual(sha256(given), this.digest);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
