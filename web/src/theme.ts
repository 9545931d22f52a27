import { h, icon } from './dom.ts';

export type Theme = 'light' | 'dark';
const KEY = 'drydock.theme';
const listeners = new Set<(theme: Theme) => void>();
const media = window.matchMedia('(prefers-color-scheme: dark)');

/** The learner's choice, else the system's. */
export function currentTheme(): Theme {
  const chosen = localStorage.getItem(KEY);
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return media.matches ? 'dark' : 'light';
}

export function applyTheme(): void {
  document.documentElement.dataset.theme = currentTheme();
  media.addEventListener('change', () => {
    if (!localStorage.getItem(KEY)) notify();
  });
}

export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  const theme = currentTheme();
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l(theme);
}

export function themeToggle(): HTMLButtonElement {
  const button = h('button', {
    class: 'btn btn-icon',
    attrs: { type: 'button', 'aria-label': 'Switch light or dark mode', title: 'Light or dark mode' },
  });
  const render = () => button.replaceChildren(icon(currentTheme() === 'dark' ? 'sun' : 'moon', 18));
  button.addEventListener('click', () => {
    localStorage.setItem(KEY, currentTheme() === 'dark' ? 'light' : 'dark');
    notify();
    render();
  });
  render();
  return button;
}
