import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { h } from '../dom.ts';
import { TERMINAL_FONT, terminalTheme } from './terminal-theme.ts';

/**
 * A terminal that only shows: the instructor's view of a learner's shell. xterm.js takes no
 * input (disableStdin), and a key or paste says so instead of vanishing silently.
 */
export class ReadOnlyTerminal {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fitAddon = new FitAddon();

  constructor(
    readonly host: string,
    theme: 'light' | 'dark',
    private readonly refused: () => void,
  ) {
    this.element = h('div', { class: 'host-terminal is-read-only', attrs: { 'data-host': host } });
    this.term = new Terminal({
      fontFamily: TERMINAL_FONT,
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 5000,
      disableStdin: true,
      cursorBlink: false,
      theme: terminalTheme(theme),
    });
    this.term.loadAddon(this.fitAddon);
    this.element.addEventListener('keydown', () => this.refused(), { capture: true });
    this.element.addEventListener('paste', () => this.refused(), { capture: true });
  }

  /** Call once the element is in the document. */
  open(): void {
    this.term.open(this.element);
    this.fit();
  }

  /** The learner's terminal (re)attached: its recent output follows, from a clean screen. */
  clear(): void {
    this.term.reset();
  }

  write(data: Uint8Array | string): void {
    this.term.write(data);
  }

  fit(): void {
    if (this.element.offsetParent !== null) this.fitAddon.fit();
  }

  dispose(): void {
    this.term.dispose();
  }
}
