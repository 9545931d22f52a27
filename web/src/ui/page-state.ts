import { h, icon, type Child } from '../dom.ts';

/** A whole page waiting for the server. */
export function loadingState(text: string): HTMLElement {
  return h(
    'main',
    { class: 'page-state', attrs: { 'aria-busy': 'true' } },
    h('div', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
    h('p', { text }),
  );
}

/** A whole page that could not be shown: what happened, in the server's words, and where to go. */
export function problemState(title: string, message: string, ...actions: Child[]): HTMLElement {
  return h(
    'main',
    { class: 'page-state' },
    h('div', { class: 'page-state-icon' }, icon('alert', 28)),
    h('h1', { text: title }),
    h('p', { class: 'page-state-message', text: message }),
    actions.length > 0 && h('div', { class: 'finish-actions' }, ...actions),
  );
}
