import type { StepBody } from '../../../shared/api.ts';
import { h, icon } from '../dom.ts';

/** A step's hints, revealed one at a time on request. */
export function hintsBlock(hints: StepBody['hints']): HTMLElement | undefined {
  if (hints.length === 0) return undefined;
  const list = h('div', { class: 'hints' });
  let shown = 0;
  const button = h('button', { class: 'btn btn-ghost btn-small', attrs: { type: 'button' } }, icon('bulb', 14), h('span'));
  const label = () => {
    button.lastElementChild!.textContent = shown === 0 ? 'Show a hint' : `Show another hint (${shown} of ${hints.length})`;
  };
  button.addEventListener('click', () => {
    const hint = hints[shown++]!;
    const body = h('div', { class: 'hint-body prose' });
    body.innerHTML = hint.html; // rendered by the server from the lab file, raw HTML escaped
    list.appendChild(h('div', { class: 'hint' }, h('div', { class: 'hint-title' }, icon('bulb', 14), hint.title ?? `Hint ${shown}`), body));
    if (shown >= hints.length) button.remove();
    else label();
  });
  label();
  return h('div', { class: 'hints-block' }, list, button);
}
