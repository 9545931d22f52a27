import { classroomApi } from '../classroom-api.ts';
import { h } from '../dom.ts';
import { formError, formField } from '../ui/form-field.ts';

/** The instructor's sign-in: the secret the operator configured. `signedIn` runs once the cookie is set. */
export function signInForm(signedIn: () => void): HTMLElement {
  const secret = h('input', {
    attrs: { type: 'password', name: 'secret', required: true, autocomplete: 'current-password', 'data-field': 'secret' },
  });
  const error = formError();
  const submit = h('button', { class: 'btn btn-primary btn-wide', attrs: { type: 'submit', 'data-action': 'sign-in' }, text: 'Sign in' });
  const form = h(
    'form',
    { class: 'card-form', attrs: { novalidate: true } },
    h('h1', { text: 'Instructor sign-in' }),
    h('p', { class: 'muted', text: 'Create classes, share their join link and follow your learners live.' }),
    formField('Instructor secret', secret, 'Chosen with DRYDOCK_INSTRUCTOR_SECRET, or printed once in the server’s log at its first start.').element,
    error.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!secret.value) return error.show('Type the instructor secret.');
    submit.disabled = true;
    try {
      await classroomApi.signIn(secret.value);
      signedIn();
    } catch (err) {
      error.show((err as Error).message);
      submit.disabled = false;
      secret.select();
    }
  });
  queueMicrotask(() => secret.focus());
  return h('main', { class: 'centered-page' }, form);
}
