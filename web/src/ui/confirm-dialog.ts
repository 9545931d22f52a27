import { h } from '../dom.ts';

export interface DialogOptions {
  title: string;
  message: string;
  confirm: string;
  danger?: boolean;
}

/**
 * A styled modal with Cancel and a confirm button (the native confirm() blocks the page and looks
 * foreign); `fields` go between the message and the buttons. Resolves true when confirmed.
 */
export function confirmDialog(options: DialogOptions, ...fields: HTMLElement[]): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'dialog' },
      h(
        'form',
        { attrs: { method: 'dialog' } },
        h('h2', { class: 'dialog-title', text: options.title }),
        h('p', { class: 'dialog-message', text: options.message }),
        ...fields,
        h(
          'div',
          { class: 'dialog-actions' },
          // formnovalidate: Cancel closes even while a required field is empty.
          h('button', { class: 'btn btn-ghost', attrs: { value: 'cancel', formnovalidate: true }, text: 'Cancel' }),
          h('button', {
            class: `btn ${options.danger ? 'btn-danger' : 'btn-primary'}`,
            attrs: { value: 'confirm', 'data-action': 'confirm' },
            text: options.confirm,
          }),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}
