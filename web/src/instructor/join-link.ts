import type { ClassBody } from '../../../shared/classroom.ts';
import { h, icon } from '../dom.ts';
import { copyText } from '../lesson/clipboard.ts';

/** The class's join link as learners open it: the server gives the path, this page's origin completes it. */
export function joinUrl(klass: ClassBody): string {
  return `${location.origin}${klass.joinPath}`;
}

/** The code, large enough to read out to a room, and the link with a copy button. */
export function joinDetails(klass: ClassBody): HTMLElement {
  const url = joinUrl(klass);
  const copy = h(
    'button',
    { class: 'btn btn-secondary btn-small', attrs: { type: 'button', 'data-action': 'copy-link' } },
    icon('copy', 14),
    'Copy link',
  );
  copy.addEventListener('click', async () => {
    await copyText(url);
    copy.replaceChildren(icon('check', 14), 'Copied');
    window.setTimeout(() => copy.replaceChildren(icon('copy', 14), 'Copy link'), 1500);
  });
  return h(
    'div',
    { class: 'join-details' },
    h(
      'div',
      { class: 'join-code-block' },
      h('span', { class: 'join-code-label', text: 'Class code' }),
      h('span', {
        class: 'join-code',
        attrs: { 'data-testid': 'join-code', 'aria-label': `Class code ${klass.code.split('').join(' ')}` },
        text: klass.code,
      }),
    ),
    h(
      'div',
      { class: 'join-link-block' },
      h('a', { class: 'join-link', attrs: { href: url, target: '_blank', rel: 'noopener', 'data-testid': 'join-link' }, text: url }),
      copy,
    ),
  );
}

/** "Joining open" or why not, for the badge beside a class. */
export function joiningState(klass: ClassBody, now = Date.now()): { open: boolean; text: string } {
  if (!klass.joiningOpen) return { open: false, text: 'Joining closed' };
  if (klass.opensAt !== null && now < klass.opensAt) return { open: false, text: `Opens ${dateTime(klass.opensAt)}` };
  if (klass.closesAt !== null && now >= klass.closesAt) return { open: false, text: `Closed ${dateTime(klass.closesAt)}` };
  if (klass.memberCount >= klass.seats) return { open: false, text: 'Class full' };
  return { open: true, text: 'Joining open' };
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
