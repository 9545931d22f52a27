import type { ITheme } from '@xterm/xterm';

/** The terminal stays dark in both page themes (prompts and `ls` colours are made for it); only its depth follows the page. */
const palette = {
  black: '#1b2330',
  red: '#ff6b6b',
  green: '#5fd38d',
  yellow: '#f5c451',
  blue: '#6aa7ff',
  magenta: '#d38cff',
  cyan: '#4fd1d9',
  white: '#d7dee8',
  brightBlack: '#5c6b7e',
  brightRed: '#ff8f8f',
  brightGreen: '#7fe3a6',
  brightYellow: '#ffd978',
  brightBlue: '#8fbcff',
  brightMagenta: '#e0aaff',
  brightCyan: '#7be3ea',
  brightWhite: '#f4f7fb',
};

export function terminalTheme(page: 'light' | 'dark'): ITheme {
  const background = page === 'dark' ? '#0b0f14' : '#111824';
  return {
    ...palette,
    background,
    foreground: '#dfe6ef',
    cursor: '#f5c451',
    cursorAccent: background,
    selectionBackground: 'rgba(106, 167, 255, 0.35)',
  };
}

export const TERMINAL_FONT = "'DejaVu Sans Mono', 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace";
