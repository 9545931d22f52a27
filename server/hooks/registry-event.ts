import { z } from 'zod';

/**
 * One registry notification event, as distribution 2.x and 3.x send them
 * (`application/vnd.docker.distribution.events.v1+json`). Only the fields lessons and checks
 * read are required; the rest is kept as sent so learners see the whole JSON.
 */
const registryEventSchema = z.looseObject({
  id: z.string().optional(),
  timestamp: z.string().optional(),
  action: z.string().min(1),
  target: z.looseObject({
    mediaType: z.string().optional(),
    digest: z.string().optional(),
    size: z.number().optional(),
    repository: z.string().min(1),
    url: z.string().optional(),
    tag: z.string().optional(),
  }),
  request: z.looseObject({ addr: z.string().optional(), host: z.string().optional(), method: z.string().optional() }).optional(),
  source: z.looseObject({ addr: z.string().optional() }).optional(),
});

export type RegistryEvent = z.infer<typeof registryEventSchema>;

const envelopeSchema = z.looseObject({ events: z.array(registryEventSchema).max(1000) });

export type ParsedEnvelope = { ok: true; events: RegistryEvent[] } | { ok: false; reason: string };

/** Parses a notification request body; a reason says what is wrong, for the sender's log. */
export function parseEnvelope(body: string): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the body is not JSON: a registry sends {"events": [...]}' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `not a registry notification: ${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  return { ok: true, events: parsed.data.events };
}
