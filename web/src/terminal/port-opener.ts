import { portLink } from '../../../shared/api.ts';
import { api } from '../api.ts';
import { h, icon } from '../dom.ts';

/**
 * "Open port": a service the learner published in a host (a registry on 5000, nginx on 80)
 * opens in a new tab on the ports origin, another origin than Drydock's, so the service's pages
 * cannot reach this page's storage or act as Drydock. The token goes along once; the server
 * swaps it for a cookie that only this session's ports see.
 */
export function portOpener(session: { id: string; token: string }, activeHost: () => string): HTMLElement {
  // Asked ahead of the click: a tab opened after waiting on the network would count as a popup.
  let known: string | undefined;
  const ask = () =>
    api.platform().then(
      (p) => (known = p.portsOrigin),
      () => undefined,
    );
  void ask();
  const input = h('input', {
    class: 'port-input',
    attrs: { type: 'number', min: 1, max: 65535, value: 80, 'aria-label': 'Port number', title: 'Port in the current host' },
  });
  const show = (problem: string) => {
    input.setCustomValidity(problem);
    input.reportValidity();
  };
  const open = async () => {
    const port = Number(input.value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return show('A port from 1 to 65535');
    input.setCustomValidity('');
    const origin = known ?? (await ask());
    if (origin === undefined) return show('The server did not say where ports open; try again in a moment');
    window.open(portLink(origin, session, activeHost(), port), '_blank', 'noopener');
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void open();
  });
  return h(
    'div',
    { class: 'port-opener' },
    h('label', { class: 'port-label', text: 'Port' }),
    input,
    h(
      'button',
      {
        class: 'btn btn-ghost btn-small',
        attrs: { type: 'button', title: 'Open this port of the current host in a new tab' },
        on: { click: () => void open() },
      },
      icon('external', 14),
      'Open',
    ),
  );
}
