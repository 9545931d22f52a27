import { LEARNER_NAME_MAX } from '../../../shared/classroom.ts';
import { classroomApi } from '../classroom-api.ts';
import { api } from '../api.ts';
import { h, icon } from '../dom.ts';
import { formError, formField } from '../ui/form-field.ts';
import { appHeader } from '../views/app-header.ts';

/**
 * Joining a class: `#/join/CODE` (the link the instructor shares) fills the code in; `#/join`
 * asks for it. The learner gives the name the instructor will see, then lands on the class page.
 */
export function joinView(root: HTMLElement, code: string): void {
  document.title = 'Join a class · Drydock';
  const codeInput = h('input', {
    attrs: { name: 'code', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 16, value: code, 'data-field': 'code' },
  });
  codeInput.addEventListener('input', () => (codeInput.value = codeInput.value.toUpperCase()));
  const nameInput = h('input', { attrs: { name: 'name', required: true, maxlength: LEARNER_NAME_MAX, autocomplete: 'name', 'data-field': 'name' } });
  const error = formError();
  const submit = h(
    'button',
    { class: 'btn btn-primary btn-wide', attrs: { type: 'submit', 'data-action': 'join' } },
    'Join the class',
    icon('arrowRight', 16),
  );
  const form = h(
    'form',
    { class: 'card-form', attrs: { novalidate: true } },
    h('h1', { text: 'Join a class' }),
    h('p', { class: 'muted', text: 'Your instructor sees your name and how far you are in each lab, so they can help when you are stuck.' }),
    formField('Class code', codeInput, code ? undefined : 'The short code your instructor shows or reads out.').element,
    formField('Your name', nameInput, `As your instructor should see it, up to ${LEARNER_NAME_MAX} characters.`).element,
    error.element,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void join();
  });
  const join = async () => {
    const problem = sayWhatIsMissing(codeInput.value.trim(), nameInput.value.trim());
    error.show(problem);
    if (problem) return;
    submit.disabled = true;
    try {
      const joined = await classroomApi.join(codeInput.value.trim(), nameInput.value.trim());
      location.hash = `#/class/${encodeURIComponent(joined.class.id)}`;
    } catch (err) {
      error.show((err as Error).message);
      submit.disabled = false;
    }
  };
  root.replaceChildren(appHeader(), h('main', { class: 'centered-page' }, form));
  // A returning learner keeps the name they gave before.
  api
    .me()
    .then((me) => {
      if (me.name && !nameInput.value) nameInput.value = me.name;
    })
    .catch(() => {});
  (code ? nameInput : codeInput).focus();
}

function sayWhatIsMissing(code: string, name: string): string | undefined {
  if (!code) return 'Type the class code your instructor gave you.';
  if (!name) return 'Type your name, so your instructor knows who you are.';
  if (name.length > LEARNER_NAME_MAX) return `Your name is ${name.length} characters long; keep it to ${LEARNER_NAME_MAX}.`;
  return undefined;
}
