import { api } from '../api.ts';
import { h, icon } from '../dom.ts';

/**
 * The classes this browser's learner joined, as links to their class pages; empty (and hidden)
 * for a learner in no class, so the catalog stays as it was for them.
 */
export function classLinks(): HTMLElement {
  const element = h('nav', { class: 'class-links', attrs: { hidden: true, 'aria-label': 'Your classes' } });
  api
    .me()
    .then((me) => {
      if (me.classes.length === 0) return;
      element.replaceChildren(
        h('span', { class: 'class-links-label', text: me.classes.length === 1 ? 'Your class:' : 'Your classes:' }),
        ...me.classes.map((c) =>
          h('a', { class: 'btn btn-secondary btn-small', attrs: { href: `#/class/${encodeURIComponent(c.id)}` } }, c.title, icon('arrowRight', 14)),
        ),
      );
      element.hidden = false;
    })
    .catch(() => {});
  return element;
}
