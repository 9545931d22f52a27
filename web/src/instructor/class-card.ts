import type { ClassBody } from '../../../shared/classroom.ts';
import { classroomApi } from '../classroom-api.ts';
import { h, icon } from '../dom.ts';
import { toast } from '../ui/toast.ts';
import { dateTime, joinDetails, joiningState } from './join-link.ts';

/** One class in the instructor's list: its code and link, who joined, joining on or off, the way to its live view. */
export function classCard(klass: ClassBody, titles: ReadonlyMap<string, string>): HTMLElement {
  const card = h('article', { class: 'class-card', attrs: { 'data-class': klass.id } });
  const render = (current: ClassBody) => {
    const state = joiningState(current);
    const toggle = h(
      'button',
      {
        class: 'btn btn-ghost btn-small',
        attrs: { type: 'button', 'data-action': current.joiningOpen ? 'close-joining' : 'reopen-joining' },
        on: {
          click: async () => {
            toggle.disabled = true;
            try {
              render(await classroomApi.updateClass(current.id, { joiningOpen: !current.joiningOpen }));
            } catch (err) {
              toast((err as Error).message, 'error');
              toggle.disabled = false;
            }
          },
        },
      },
      icon(current.joiningOpen ? 'lock' : 'reset', 14),
      current.joiningOpen ? 'Close joining' : 'Reopen joining',
    );
    card.replaceChildren(
      h(
        'div',
        { class: 'class-card-head' },
        h('h3', { class: 'class-card-title', text: current.title }),
        h('span', { class: `badge ${state.open ? 'badge-ok' : 'badge-muted'}`, attrs: { 'data-testid': 'joining-state' }, text: state.text }),
      ),
      joinDetails(current),
      h(
        'p',
        { class: 'class-card-facts' },
        h('span', {}, icon('users', 14), `${current.memberCount} of ${current.seats} seats taken`),
        current.closesAt !== null && h('span', { text: `Joining closes ${dateTime(current.closesAt)}` }),
      ),
      h('ol', { class: 'class-card-labs' }, ...current.labIds.map((id) => h('li', { text: titles.get(id) ?? id }))),
      h(
        'div',
        { class: 'class-card-actions' },
        toggle,
        h(
          'a',
          {
            class: 'btn btn-primary btn-small',
            attrs: { href: `#/instructor/classes/${encodeURIComponent(current.id)}`, 'data-action': 'open-class' },
          },
          'Live view',
          icon('arrowRight', 14),
        ),
      ),
    );
  };
  render(klass);
  return card;
}
