import { h } from '../dom.ts';

/** A styled dialog asking for a line or two of text; resolves to the text, or undefined when cancelled. */
export function promptDialog(options: { title: string; message: string; confirm: string; maxLength: number }): Promise<string | undefined> {
  return new Promise((resolve) => {
    const text = h('textarea', { class: 'input', attrs: { rows: 3, maxlength: options.maxLength, required: true, 'data-field': 'message' } });
    const dialog = h(
      'dialog',
      { class: 'dialog' },
      h(
        'form',
        { attrs: { method: 'dialog' } },
        h('h2', { class: 'dialog-title', text: options.title }),
        h('p', { class: 'dialog-message', text: options.message }),
        text,
        h(
          'div',
          { class: 'dialog-actions' },
          h('button', { class: 'btn btn-ghost', attrs: { value: 'cancel', formnovalidate: true }, text: 'Cancel' }),
          h('button', { class: 'btn btn-primary', attrs: { value: 'confirm', 'data-action': 'confirm' }, text: options.confirm }),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm' && text.value.trim() ? text.value.trim() : undefined);
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}
