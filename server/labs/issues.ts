import { z } from 'zod';
import { didYouMean } from './nearest.ts';

export interface IssueText {
  /** The top-level key the issue is about, to find its line; undefined for the whole object. */
  key: string | undefined;
  message: string;
}

/**
 * Turns a zod failure into sentences an instructor can act on, e.g.
 * `registry-has-repo: unknown parameter "repo" (did you mean "repository"?)`.
 * `subject` prefixes each message, `noun` names what keys are ("parameter", "key").
 */
export function describeIssues(
  error: z.ZodError,
  raw: Readonly<Record<string, unknown>>,
  schema: z.ZodType,
  subject: string,
  noun: string,
): IssueText[] {
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return error.issues.flatMap((issue): IssueText[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ key: k, message: `${subject}: unknown ${noun} "${k}"${didYouMean(k, known)}` }));
    }
    const key = issue.path[0] === undefined ? undefined : String(issue.path[0]);
    if (issue.code === 'invalid_type' && key !== undefined && issue.path.length === 1 && raw[key] === undefined) {
      return [{ key, message: `${subject}: missing ${noun} "${key}"` }];
    }
    const where = issue.path.length ? `"${issue.path.join('.')}": ` : '';
    return [{ key, message: `${subject}: ${where}${issue.message.replace(/^Invalid (input|option): /, '')}` }];
  });
}
