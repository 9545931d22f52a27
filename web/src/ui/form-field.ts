import { h } from '../dom.ts';

/** A labelled input with an optional hint below it; the input is returned to read and focus. */
export function formField(
  label: string,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): { element: HTMLElement; input: typeof input } {
  const id = input.id || `field-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  input.classList.add('input');
  const hintEl = hint ? h('p', { class: 'field-hint', attrs: { id: `${id}-hint` }, text: hint }) : undefined;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return { element: h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: id }, text: label }), input, hintEl), input };
}

/** The place under a form where a refusal is said in words; empty and hidden until then. */
export function formError(): { element: HTMLElement; show(message: string | undefined): void } {
  const element = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true } });
  return {
    element,
    show(message) {
      element.hidden = message === undefined;
      element.textContent = message ?? '';
    },
  };
}
