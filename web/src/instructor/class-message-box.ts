import { h, icon } from '../dom.ts';
import { toast } from '../ui/toast.ts';

/** The server's limit on a message (server/http/instructor-routes.ts). */
export const MESSAGE_MAX = 1000;

/** "Message the class": one line to every learner's lab view. */
export class ClassMessageBox {
  readonly element: HTMLFormElement;

  constructor(send: (text: string) => Promise<void>) {
    const input = h('input', {
      class: 'input',
      attrs: {
        name: 'message',
        maxlength: MESSAGE_MAX,
        placeholder: 'Message to the whole class, e.g. “Break until 10:45”',
        'aria-label': 'Message to the whole class',
        'data-field': 'class-message',
      },
    });
    const button = h(
      'button',
      { class: 'btn btn-primary btn-small', attrs: { type: 'submit', 'data-action': 'message-class' } },
      icon('message', 14),
      'Send to all',
    );
    this.element = h('form', { class: 'class-message' }, input, button);
    this.element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return input.focus();
      button.disabled = true;
      try {
        await send(text);
        input.value = '';
        toast('Message sent to the class.');
      } catch (err) {
        toast((err as Error).message, 'error');
      } finally {
        button.disabled = false;
      }
    });
  }
}
