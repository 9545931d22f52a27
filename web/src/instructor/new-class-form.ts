import type { LabSummaryBody } from '../../../shared/api.ts';
import type { ClassBody, CreateClassRequest } from '../../../shared/classroom.ts';
import { classroomApi } from '../classroom-api.ts';
import { h, icon } from '../dom.ts';
import { formError, formField } from '../ui/form-field.ts';
import { LabPicker } from './lab-picker.ts';

/** The "new class" form: title, labs in order, seats, and when joining opens and closes. */
export function newClassForm(labs: readonly LabSummaryBody[], created: (klass: ClassBody) => void): HTMLElement {
  const title = h('input', {
    attrs: { name: 'title', required: true, maxlength: 120, placeholder: 'Registry workshop, 3 June', 'data-field': 'title' },
  });
  const seats = h('input', { attrs: { name: 'seats', type: 'number', min: 1, max: 1000, value: 30, required: true, 'data-field': 'seats' } });
  const opensAt = h('input', { attrs: { name: 'opensAt', type: 'datetime-local', 'data-field': 'opensAt' } });
  const closesAt = h('input', { attrs: { name: 'closesAt', type: 'datetime-local', 'data-field': 'closesAt' } });
  const picker = new LabPicker(labs);
  const error = formError();
  const submit = h(
    'button',
    { class: 'btn btn-primary', attrs: { type: 'submit', 'data-action': 'create-class' } },
    icon('plus', 16),
    'Create class',
  );
  const form = h(
    'form',
    { class: 'panel new-class-form', attrs: { novalidate: true, 'aria-labelledby': 'new-class-title' } },
    h('h2', { class: 'panel-title', attrs: { id: 'new-class-title' }, text: 'New class' }),
    formField('Title', title).element,
    picker.element,
    h(
      'div',
      { class: 'field-row' },
      formField('Seats', seats, 'Learners who can join.').element,
      formField('Joining opens', opensAt, 'Empty: at once.').element,
      formField('Joining closes', closesAt, 'Empty: when you close it.').element,
    ),
    error.element,
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const request: CreateClassRequest = {
      title: title.value.trim(),
      labIds: picker.labIds,
      seats: Number(seats.value),
      opensAt: opensAt.value ? new Date(opensAt.value).getTime() : null,
      closesAt: closesAt.value ? new Date(closesAt.value).getTime() : null,
    };
    const problem = sayWhatIsMissing(request);
    error.show(problem);
    if (problem) return;
    submit.disabled = true;
    try {
      created(await classroomApi.createClass(request));
      form.reset();
      picker.clear();
    } catch (err) {
      error.show((err as Error).message);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function sayWhatIsMissing(request: CreateClassRequest): string | undefined {
  if (!request.title) return 'Give the class a title, as learners will see it.';
  if (request.labIds.length === 0) return 'Add at least one lab to the class.';
  if (!Number.isInteger(request.seats) || request.seats < 1) return 'Seats must be a whole number, at least 1.';
  if (request.opensAt && request.closesAt && request.closesAt <= request.opensAt) return 'Joining must close after it opens.';
  return undefined;
}
