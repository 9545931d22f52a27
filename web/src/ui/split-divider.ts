import { h } from '../dom.ts';

const KEY = 'drydock.lessonWidth';
const MIN_PX = 320;
const MAX_SHARE = 0.7;

/**
 * The draggable bar between lesson and terminals. It sets --lesson-width on the container, so
 * the layout stays in CSS; the width is remembered. Arrow keys move it too.
 */
export function splitDivider(container: HTMLElement): HTMLElement {
  const divider = h('div', {
    class: 'split-divider',
    attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': 'Resize lesson and terminals', tabindex: 0 },
  });
  const set = (px: number) => {
    const width = Math.round(Math.max(MIN_PX, Math.min(px, container.clientWidth * MAX_SHARE)));
    container.style.setProperty('--lesson-width', `${width}px`);
    localStorage.setItem(KEY, String(width));
  };
  const saved = Number(localStorage.getItem(KEY));
  if (saved > 0) container.style.setProperty('--lesson-width', `${saved}px`);

  divider.addEventListener('pointerdown', (down) => {
    down.preventDefault();
    divider.setPointerCapture(down.pointerId);
    container.classList.add('is-resizing');
    const left = container.getBoundingClientRect().left;
    const move = (e: PointerEvent) => set(e.clientX - left);
    const up = () => {
      divider.removeEventListener('pointermove', move);
      container.classList.remove('is-resizing');
    };
    divider.addEventListener('pointermove', move);
    divider.addEventListener('pointerup', up, { once: true });
    divider.addEventListener('pointercancel', up, { once: true });
  });
  divider.addEventListener('keydown', (e) => {
    const current = (divider.previousElementSibling as HTMLElement | null)?.offsetWidth ?? MIN_PX;
    if (e.key === 'ArrowLeft') set(current - 24);
    else if (e.key === 'ArrowRight') set(current + 24);
  });
  return divider;
}
