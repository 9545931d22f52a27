import { h } from '../dom.ts';

interface Received {
  receivedAt: string;
  event: Record<string, unknown>;
}

const MAX_SHOWN = 50;

/**
 * Registry notifications as they reach the platform's webhook receiver: what a push or pull
 * told the world, live beside the lesson. Hidden until the first one arrives.
 */
export class RegistryEventsPanel {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'registry-events-list' });
  private readonly count = h('span', { class: 'registry-events-count' });
  private total = 0;

  constructor() {
    this.element = h(
      'section',
      { class: 'registry-events', attrs: { hidden: true, 'aria-label': 'Registry notifications', 'aria-live': 'polite' } },
      h('header', { class: 'registry-events-header' }, h('h3', { text: 'Registry notifications' }), this.count),
      this.list,
    );
  }

  add(received: readonly Received[]): void {
    for (const item of received) this.list.prepend(this.row(item));
    while (this.list.children.length > MAX_SHOWN) this.list.lastElementChild?.remove();
    this.total += received.length;
    this.count.textContent = `${this.total} received`;
    this.element.hidden = this.total === 0;
  }

  private row({ receivedAt, event }: Received): HTMLElement {
    const target = (event.target ?? {}) as Record<string, unknown>;
    const action = String(event.action ?? '?');
    const name = `${String(target.repository ?? '?')}${target.tag ? `:${String(target.tag)}` : ''}`;
    const digest = typeof target.digest === 'string' ? target.digest.replace(/^sha256:/, '').slice(0, 12) : '';
    const time = new Date(receivedAt).toLocaleTimeString();
    return h(
      'li',
      { class: 'registry-event' },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          h('span', { class: `event-action is-${action}`, text: action }),
          h('code', { class: 'event-name', text: name }),
          digest ? h('span', { class: 'event-digest muted', text: digest }) : null,
          h('time', { class: 'event-time muted', attrs: { datetime: receivedAt }, text: time }),
        ),
        h('pre', { class: 'event-json' }, h('code', { text: JSON.stringify(event, null, 2) })),
      ),
    );
  }
}
