import { cookieValues } from '../support/cookie-values.ts';
import { INSTRUCTOR_COOKIE } from './instructor-sign-ins.ts';

/** The instructor's sign-in token from a Cookie header, if it carries one. */
export function instructorToken(cookieHeader: string | undefined): string | undefined {
  return cookieValues(cookieHeader, INSTRUCTOR_COOKIE)[0];
}

/**
 * Set-Cookie for a sign-in: HttpOnly (no script reads it), SameSite=Strict (no other site's link
 * or form carries it), Secure over HTTPS. The server keeps the real expiry; Max-Age only tidies the browser.
 */
export function instructorCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${INSTRUCTOR_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Set-Cookie that removes the sign-in cookie. */
export function clearedInstructorCookie(): string {
  return `${INSTRUCTOR_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;
}
