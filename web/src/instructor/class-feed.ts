import type { ClassFeedEvent } from '../../../shared/classroom.ts';
import { classPaths } from '../classroom-api.ts';

/**
 * The live class view's server-sent events. The browser reconnects by itself after a drop and
 * the server starts each connection with a snapshot, so nothing is missed. `closed`: the server
 * refused the stream (signed out, no such class) and it will not come back by itself.
 */
export function classFeed(
  classId: string,
  handlers: { event(event: ClassFeedEvent): void; state(state: 'live' | 'reconnecting' | 'closed'): void },
): () => void {
  const source = new EventSource(classPaths.events(classId));
  source.onopen = () => handlers.state('live');
  source.onmessage = (message) => {
    try {
      handlers.event(JSON.parse(message.data) as ClassFeedEvent);
    } catch {
      console.warn('drydock: ignored a class event', message.data);
    }
  };
  source.onerror = () => handlers.state(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return () => source.close();
}
