import { z } from 'zod';
import { registryEventSchema, type RegistryEvent } from '../../checks/registry/registry-event.ts';

/**
 * A real registry's notification envelope is about a kilobyte per event (distribution's bridge
 * sends one event per request), so 64 KiB leaves room for dozens while refusing padded bodies.
 */
export const MAX_ENVELOPE_BYTES = 64 * 1024;
export const MAX_EVENTS_PER_ENVELOPE = 100;

const envelopeSchema = z.object({ events: z.array(registryEventSchema).max(MAX_EVENTS_PER_ENVELOPE) });

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
