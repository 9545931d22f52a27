import { PORT_TOKEN_PARAM, portPath } from '../../../shared/api.ts';
import { h, icon } from '../dom.ts';

/**
 * "Open port": a service the learner published in a host (a registry on 5000, nginx on 80)
 * opens in a new tab through the server. The token goes along once; the server swaps it for a
 * cookie that only this session's ports see.
 */
export function portOpener(session: { id: string; token: string }, activeHost: () => string): HTMLElement {
  const input = h('input', {
    class: 'port-input',
    attrs: { type: 'number', min: 1, max: 65535, value: 80, 'aria-label': 'Port number', title: 'Port in the current host' },
  });
  const open = () => {
    const port = Number(input.value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      input.setCustomValidity('A port from 1 to 65535');
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    const url = `${portPath(session.id, activeHost(), port)}?${PORT_TOKEN_PARAM}=${encodeURIComponent(session.token)}`;
    window.open(url, '_blank', 'noopener');
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open();
  });
  return h(
    'div',
    { class: 'port-opener' },
    h('label', { class: 'port-label', text: 'Port' }),
    input,
    h(
      'button',
      { class: 'btn btn-ghost btn-small', attrs: { type: 'button', title: 'Open this port of the current host in a new tab' }, on: { click: open } },
      icon('external', 14),
      'Open',
    ),
  );
}
