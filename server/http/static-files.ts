import express, { type RequestHandler } from 'express';

/**
 * The browser app's files. Lesson HTML is rendered by the server from lab files; the policy
 * still forbids scripts from anywhere else. Styles may be inline: xterm.js sizes its rows so.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export function staticFiles(root: string): RequestHandler {
  return express.static(root, {
    index: 'index.html',
    // Revalidate every time: file names are not content-hashed, and an ETag answer is cheap.
    cacheControl: false,
    // The app's files are small and fetched whole; a Range header is ignored rather than answered 416.
    acceptRanges: false,
    setHeaders: (res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'same-origin');
    },
  });
}
