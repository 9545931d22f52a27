import type { z } from 'zod';
import { DrydockError } from '../errors/drydock-error.ts';

/** Parses a request part with a schema; a 400 that says which field is wrong and why. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? ` field "${issue.path.join('.')}"` : '';
  throw new DrydockError('DD_BAD_REQUEST', `${what}${field}: ${issue.message}`);
}
