import { h } from '../dom.ts';

/** A styled confirmation (the native confirm() blocks the page and looks foreign). */
export function confirmDialog(options: { title: string; message: string; confirm: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'dialog' },
      h(
        'form',
        { attrs: { method: 'dialog' } },
        h('h2', { class: 'dialog-title', text: options.title }),
        h('p', { class: 'dialog-message', text: options.message }),
        h(
          'div',
          { class: 'dialog-actions' },
          h('button', { class: 'btn btn-ghost', attrs: { value: 'cancel' }, text: 'Cancel' }),
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
