import { h, icon } from '../dom.ts';

/**
 * A message from the instructor: it stays on screen, newest on top, until the learner dismisses
 * it (a toast could vanish while they look at the terminal). The time is when it was sent.
 */
export function showNotice(text: string, sentAt: number): void {
  let region = document.querySelector<HTMLElement>('.notices');
  if (!region) {
    region = h('div', { class: 'notices', attrs: { 'aria-live': 'assertive', 'aria-label': 'Messages from your instructor' } });
    document.body.appendChild(region);
  }
  const time = new Date(sentAt);
  const notice = h(
    'div',
    { class: 'notice', attrs: { role: 'alert', 'data-testid': 'notice' } },
    h('span', { class: 'notice-icon' }, icon('message', 18)),
    h(
      'div',
      { class: 'notice-body' },
      h(
        'p',
        { class: 'notice-meta' },
        'Message from your instructor · ',
        h('time', { attrs: { datetime: time.toISOString() }, text: time.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) }),
      ),
      h('p', { class: 'notice-text', text }),
    ),
    h(
      'button',
      {
        class: 'btn btn-icon btn-icon-small',
        attrs: { type: 'button', 'aria-label': 'Dismiss this message', title: 'Dismiss', 'data-action': 'dismiss-notice' },
        on: { click: () => notice.remove() },
      },
      icon('close', 14),
    ),
  );
  region.prepend(notice);
}
