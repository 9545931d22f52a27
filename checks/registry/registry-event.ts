import { z } from 'zod';

// A repository name is at most 255 characters in distribution; a tag 128; a digest names its
// algorithm and at most 128 hex digits. Free text (URLs, user agents) gets a little more.
const short = z.string().max(256);
const long = z.string().max(2048);

/**
 * One registry notification event, as distribution 2.x and 3.x send them
 * (`application/vnd.docker.distribution.events.v1+json`), reduced to the fields the event's
 * documentation names (distribution `notifications/event.go`): these are what the lesson view
 * shows and the webhook-received check matches. Anything else a sender adds is dropped before
 * the event is kept, so what an event costs the server is bounded by these caps.
 */
export const registryEventSchema = z.object({
  id: short.optional(),
  timestamp: short.optional(),
  action: short.min(1),
  target: z.object({
    mediaType: short.optional(),
    digest: short.optional(),
    size: z.number().optional(),
    length: z.number().optional(),
    repository: short.min(1),
    fromRepository: short.optional(),
    url: long.optional(),
    tag: short.optional(),
  }),
  request: z
    .object({ id: short.optional(), addr: short.optional(), host: short.optional(), method: short.optional(), useragent: long.optional() })
    .optional(),
  actor: z.object({ name: short.optional() }).optional(),
  source: z.object({ addr: short.optional(), instanceID: short.optional() }).optional(),
});

export type RegistryEvent = z.infer<typeof registryEventSchema>;

/** A received event with the time the platform got it. */
export interface ReceivedEvent {
  readonly receivedAt: string;
  readonly event: RegistryEvent;
}
