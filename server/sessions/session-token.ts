import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits: guessing one is out of reach, and ids alone grant nothing. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Session ids appear in URLs and logs, so they are shorter; the token is the secret. */
export function createSessionId(): string {
  return randomBytes(9).toString('base64url');
}

/** What the server keeps: a digest, so a heap dump or a log line never holds a usable token. */
export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Compares in constant time, so response timing tells nothing about how close a guess was. */
export function tokenMatches(digest: Buffer, candidate: string): boolean {
  return timingSafeEqual(digest, digestToken(candidate));
}
