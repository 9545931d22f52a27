import type { ClientMessage } from '../../../shared/protocol.ts';
import { h, icon } from '../dom.ts';
import { HostTerminal } from './host-terminal.ts';
import { portOpener } from './port-opener.ts';
import { chooseRenderer } from './renderer-choice.ts';

/** The terminal side of the lab view: one tab per host, the active terminal filling the pane. */
export class TerminalTabs {
  readonly element: HTMLElement;
  private readonly terminals: HostTerminal[];
  private readonly tabs: HTMLButtonElement[];
  private active = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(hosts: readonly string[], session: { id: string; token: string }, send: (m: ClientMessage) => void, theme: 'light' | 'dark') {
    this.terminals = hosts.map((host) => new HostTerminal(host, send, theme));
    this.tabs = hosts.map((host, index) =>
      h(
        'button',
        {
          class: 'tab',
          attrs: { type: 'button', role: 'tab', 'data-host': host, 'aria-selected': index === 0 ? 'true' : 'false' },
          on: { click: () => this.show(host) },
        },
        icon('terminal', 14),
        host,
      ),
    );
    const screens = h('div', { class: 'terminal-screens' }, ...this.terminals.map((t) => t.element));
    this.element = h(
      'section',
      { class: 'terminal-pane', attrs: { 'aria-label': 'Terminals' } },
      h(
        'div',
        { class: 'terminal-toolbar' },
        h('div', { class: 'tabs', attrs: { role: 'tablist' } }, ...this.tabs),
        portOpener(session, () => this.activeHost),
      ),
      screens,
    );
    // Hidden tabs keep their layout (visibility, not display), so every terminal follows the pane.
    this.resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => this.terminals.forEach((t) => t.fit())));
    this.resizeObserver.observe(screens);
  }

  get activeHost(): string {
    return this.terminals[this.active]!.host;
  }

  /** Call once the pane is in the document: xterm.js measures fonts when it opens. */
  mount(): void {
    const renderer = chooseRenderer();
    for (const t of this.terminals) t.open(renderer);
    this.show(this.activeHost);
  }

  show(host: string): void {
    const index = this.terminals.findIndex((t) => t.host === host);
    if (index < 0) return;
    this.active = index;
    this.terminals.forEach((t, i) => t.element.classList.toggle('is-active', i === index));
    this.tabs.forEach((tab, i) => tab.setAttribute('aria-selected', String(i === index)));
    const terminal = this.terminals[index]!;
    terminal.fit();
    terminal.focus();
  }

  /** A code block was clicked: switch to its host and type it there. */
  run(host: string, script: string): void {
    this.show(host);
    this.terminal(host)?.run(script);
  }

  output(hostIndex: number, data: Uint8Array): void {
    this.terminals[hostIndex]?.write(data);
  }

  attached(host: string, restored: boolean): void {
    this.terminal(host)?.attached(restored);
  }

  exited(host: string): void {
    this.terminal(host)?.shellExited();
  }

  /** The session's view of its hosts: a host that stopped is marked on its tab and in its terminal. */
  hostStates(hosts: readonly { name: string; state: string; problem?: string }[]): void {
    for (const host of hosts) {
      const index = this.terminals.findIndex((t) => t.host === host.name);
      if (index < 0) continue;
      const stopped = host.state === 'stopped';
      this.tabs[index]!.classList.toggle('is-stopped', stopped);
      this.tabs[index]!.title = stopped ? `${host.name} stopped: ${host.problem ?? ''}` : '';
      if (stopped) this.terminals[index]!.hostStopped(host.problem ?? 'it stopped');
    }
  }

  setTheme(theme: 'light' | 'dark'): void {
    for (const t of this.terminals) t.setTheme(theme);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    for (const t of this.terminals) t.dispose();
  }

  private terminal(host: string): HostTerminal | undefined {
    return this.terminals.find((t) => t.host === host);
  }
}
