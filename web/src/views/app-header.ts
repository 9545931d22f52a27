import { h, type Child } from '../dom.ts';
import { themeToggle } from '../theme.ts';

/** The bar at the top of every page: the brand (a link to the catalog), page items, the theme switch. */
export function appHeader(...items: Child[]): HTMLElement {
  const mark = h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } });
  mark.innerHTML =
    '<svg viewBox="0 0 32 32" width="26" height="26"><rect width="32" height="32" rx="7" fill="currentColor"/><path d="M6 19h20l-2.5 5.5a2 2 0 0 1-1.8 1.2H10.3a2 2 0 0 1-1.8-1.2z" fill="#fff"/><rect x="9" y="12" width="4" height="5" rx="1" fill="#fff"/><rect x="14" y="12" width="4" height="5" rx="1" fill="#fff"/><rect x="14" y="6" width="4" height="5" rx="1" fill="#fff" opacity=".75"/><rect x="19" y="12" width="4" height="5" rx="1" fill="#fff"/></svg>';
  return h(
    'header',
    { class: 'app-header' },
    h('a', { class: 'brand', attrs: { href: '#/' } }, mark, h('span', { class: 'brand-name', text: 'Drydock' })),
    h('div', { class: 'header-items' }, ...items),
    themeToggle(),
  );
}
