import { z } from 'zod';
import { HOOKS_HOST_NAME } from '../../shared/platform.ts';
import { defineCheckKind, fail, pass } from '../check-kind.ts';
import { repositoryName, tagName } from './params.ts';

/**
 * The platform's webhook receiver got a registry notification for this action on this
 * repository (and tag). A push sends one event per blob and one for the manifest; the manifest's
 * event carries the tag, so a tag narrows the match to it.
 */
export const webhookReceived = defineCheckKind({
  name: 'webhook-received',
  summary: `the platform received a registry notification (push, pull, delete) for a repository, sent to ${HOOKS_HOST_NAME}`,
  params: z.strictObject({
    action: z.enum(['push', 'pull', 'delete', 'mount']),
    repository: repositoryName,
    tag: tagName.optional(),
  }),
  describe: (p) => `a ${p.action} notification for ${p.repository}${p.tag ? `:${p.tag}` : ''} reached the platform`,
  async run(p, target) {
    const events = target.hooks().map((r) => r.event);
    const wanted = `${p.action} of ${p.repository}${p.tag ? `:${p.tag}` : ''}`;
    if (events.length === 0) {
      return fail(
        `no registry notification has reached the platform from this session yet: give the registry a notification ` +
          `endpoint at http://${HOOKS_HOST_NAME}:PORT/events and ${p.action} ${p.repository} again`,
      );
    }
    const match = events.find(
      (e) => e.action === p.action && e.target.repository === p.repository && (p.tag === undefined || e.target.tag === p.tag),
    );
    if (match) return pass(`the platform received a ${wanted} (${match.target.digest ?? 'no digest'})`);
    const last = events[events.length - 1]!;
    return fail(
      `${events.length} notification(s) arrived, but none for a ${wanted}; the latest was a ${last.action} of ` +
        `${last.target.repository}${last.target.tag ? `:${last.target.tag}` : ''}`,
    );
  },
});
