import { h } from '../dom.ts';

/** A short message at the bottom of the page (an error the learner should see, a confirmation). */
export function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  let region = document.querySelector<HTMLElement>('.toasts');
  if (!region) {
    region = h('div', { class: 'toasts', attrs: { 'aria-live': 'polite' } });
    document.body.appendChild(region);
  }
  const note = h('div', { class: `toast toast-${kind}`, text: message });
  region.appendChild(note);
  window.setTimeout(() => note.classList.add('is-leaving'), 5000);
  window.setTimeout(() => note.remove(), 5400);
}
