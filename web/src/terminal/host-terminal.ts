import { FitAddon } from '@xterm/addon-fit';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import { FLOW, type ClientMessage } from '../../../shared/protocol.ts';
import { h } from '../dom.ts';
import { inputMessages } from './input-messages.ts';
import type { Renderer } from './renderer-choice.ts';
import { TERMINAL_FONT, terminalTheme } from './terminal-theme.ts';

const RESTORED_NOTICE =
  '\x1b[2m[Drydock restarted: earlier output is not shown again, but this shell and what it was running kept running. Press Enter for a prompt.]\x1b[0m\r\n';

/**
 * One host's terminal: xterm.js fed by the session socket. Output is acknowledged once xterm.js
 * has parsed it (its write callback), which is what lets the server pause a flood at the source.
 */
export class HostTerminal {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  private parsedSinceAck = 0;
  private exited = false;
  private stopped = false;
  private resizeTimer: number | undefined;
  renderer: Renderer = 'dom';

  constructor(
    readonly host: string,
    private readonly send: (message: ClientMessage) => void,
    theme: 'light' | 'dark',
  ) {
    this.element = h('div', { class: 'host-terminal', attrs: { 'data-host': host } });
    this.term = new Terminal({
      fontFamily: TERMINAL_FONT,
      fontSize: 14,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 5000,
      theme: terminalTheme(theme),
    });
    this.term.loadAddon(this.fitAddon);
    this.term.onData((data) => this.typed(data));
    this.term.onBinary((data) => this.typed(data, 'binary'));
    this.term.onResize(({ cols, rows }) => this.sizeChanged(cols, rows));
  }

  /** Puts the terminal in the page; call once its element is attached. */
  open(renderer: Renderer): void {
    this.term.open(this.element);
    this.renderer = renderer === 'webgl' && this.tryWebgl() ? 'webgl' : 'dom';
    this.element.dataset.renderer = this.renderer;
  }

  /**
   * The server (re)attached this terminal: its recent output follows, from a clean screen.
   * `restored`: the server restarted since the shell began; the shell ran on, but what it showed
   * before is not among that output, so one line says so.
   */
  attached(restored = false): void {
    this.term.reset();
    if (restored) this.term.write(RESTORED_NOTICE);
    this.parsedSinceAck = 0;
    this.exited = false;
    this.stopped = false;
    this.send({ type: 'resize', host: this.host, cols: this.term.cols, rows: this.term.rows });
  }

  write(data: Uint8Array): void {
    this.term.write(data, () => this.parsed(data.length));
  }

  /** The whole host is gone: no new shell can open until the lab is reset. */
  hostStopped(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.exited = true;
    this.term.write(`\r\n\x1b[31m[lab host ${this.host} stopped: ${why}. Reset the lab to continue with fresh hosts.]\x1b[0m\r\n`);
  }

  shellExited(): void {
    if (this.stopped) return;
    this.exited = true;
    this.term.write('\r\n\x1b[2m[the shell has ended; press Enter to open a new one]\x1b[0m\r\n');
  }

  /** Types text into the shell as if the learner had, one line at a time. */
  run(script: string): void {
    this.typed(script.replace(/\r?\n/g, '\r') + '\r');
    this.term.scrollToBottom();
  }

  fit(): void {
    if (this.element.offsetParent === null) return; // hidden: nothing to measure
    this.fitAddon.fit();
  }

  focus(): void {
    this.term.focus();
  }

  setTheme(theme: 'light' | 'dark'): void {
    this.term.options.theme = terminalTheme(theme);
  }

  dispose(): void {
    window.clearTimeout(this.resizeTimer);
    this.term.dispose();
  }

  private typed(data: string, kind: 'text' | 'binary' = 'text'): void {
    if (this.exited) {
      if (data.includes('\r') && !this.stopped) this.send({ type: 'restart', host: this.host });
      return;
    }
    for (const message of inputMessages(this.host, data, kind)) this.send(message);
  }

  private parsed(bytes: number): void {
    this.parsedSinceAck += bytes;
    if (this.parsedSinceAck >= FLOW.ackBytes) {
      this.send({ type: 'ack', host: this.host, bytes: this.parsedSinceAck });
      this.parsedSinceAck = 0;
    }
  }

  private sizeChanged(cols: number, rows: number): void {
    // Dragging the divider resizes continuously; the shell needs only the size it settles on.
    window.clearTimeout(this.resizeTimer);
    this.resizeTimer = window.setTimeout(() => this.send({ type: 'resize', host: this.host, cols, rows }), 80);
  }

  /** WebGL draws fastest; without it (no GPU, too many contexts) the DOM renderer takes over. */
  private tryWebgl(): boolean {
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        this.renderer = 'dom';
        this.element.dataset.renderer = 'dom';
      });
      this.term.loadAddon(webgl);
      return true;
    } catch {
      return false;
    }
  }
}
