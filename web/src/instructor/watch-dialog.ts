import { PROTOCOL, decodeOutputFrame, parseServerMessage, type ServerMessage } from '../../../shared/protocol.ts';
import { classPaths } from '../classroom-api.ts';
import { h, icon } from '../dom.ts';
import { ReadOnlyTerminal } from '../terminal/read-only-terminal.ts';
import { currentTheme } from '../theme.ts';

/**
 * The instructor watches a learner's terminals: the watch socket carries the learner's session
 * messages and output frames; nothing is ever sent on it (the server refuses anything that is).
 */
export function watchDialog(classId: string, learner: { learnerId: string; name: string; labTitle: string }): void {
  const terminals = new Map<number, ReadOnlyTerminal>();
  const tabs = h('div', { class: 'tabs', attrs: { role: 'tablist' } });
  const screens = h('div', { class: 'terminal-screens' });
  const status = h('p', { class: 'watch-status', attrs: { role: 'status', 'data-testid': 'watch-status' }, text: 'Connecting…' });
  const readOnly = h(
    'span',
    { class: 'badge badge-muted read-only-badge', attrs: { 'data-testid': 'read-only' } },
    icon('lock', 12),
    'Read-only: what you type here reaches nobody',
  );
  let flash: number | undefined;
  const refused = () => {
    readOnly.classList.add('is-flashing');
    window.clearTimeout(flash);
    flash = window.setTimeout(() => readOnly.classList.remove('is-flashing'), 1200);
  };
  const dialog = h(
    'dialog',
    { class: 'dialog watch-dialog', attrs: { 'aria-label': `${learner.name}'s terminals` } },
    h(
      'div',
      { class: 'watch-header' },
      h(
        'div',
        { class: 'watch-title' },
        h('h2', { class: 'dialog-title', text: learner.name }),
        h('span', { class: 'muted small', text: learner.labTitle }),
      ),
      readOnly,
      h(
        'button',
        {
          class: 'btn btn-icon',
          attrs: { type: 'button', 'aria-label': 'Close', 'data-action': 'close-watch' },
          on: { click: () => dialog.close() },
        },
        icon('close', 18),
      ),
    ),
    h('div', { class: 'terminal-pane' }, h('div', { class: 'terminal-toolbar' }, tabs), screens),
    status,
  );

  const show = (index: number) => {
    for (const [i, t] of terminals) t.element.classList.toggle('is-active', i === index);
    for (const tab of tabs.children) tab.setAttribute('aria-selected', String(tab.getAttribute('data-index') === String(index)));
    terminals.get(index)?.fit();
  };
  const terminal = (host: string, index: number): ReadOnlyTerminal => {
    let t = terminals.get(index);
    if (t) return t;
    t = new ReadOnlyTerminal(host, currentTheme(), refused);
    terminals.set(index, t);
    screens.append(t.element);
    t.open();
    tabs.append(
      h(
        'button',
        { class: 'tab', attrs: { type: 'button', role: 'tab', 'data-host': host, 'data-index': index }, on: { click: () => show(index) } },
        icon('terminal', 14),
        host,
      ),
    );
    if (terminals.size === 1) show(index);
    return t;
  };
  const received = (message: ServerMessage) => {
    if (message.type === 'attached') {
      terminal(message.host, message.index).clear();
      status.textContent = 'Live: you see what the learner sees, as it happens.';
    } else if (message.type === 'ended') {
      status.textContent = 'The learner’s session has ended.';
    }
  };

  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}${classPaths.watch(classId, learner.learnerId)}`, [PROTOCOL]);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) {
      const { hostIndex, data } = decodeOutputFrame(new Uint8Array(event.data));
      terminals.get(hostIndex)?.write(data);
      return;
    }
    const parsed = parseServerMessage(String(event.data));
    if (parsed.ok) received(parsed.message);
  };
  ws.onclose = (event) => {
    if (dialog.open) status.textContent = event.reason ? `Not watching: ${event.reason}.` : 'Not watching: the connection closed.';
  };

  const resize = new ResizeObserver(() => requestAnimationFrame(() => terminals.forEach((t) => t.fit())));
  resize.observe(screens);
  dialog.addEventListener('close', () => {
    ws.close(1000, 'closed');
    resize.disconnect();
    window.clearTimeout(flash);
    for (const t of terminals.values()) t.dispose();
    dialog.remove();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
}
