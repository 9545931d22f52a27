import { h, icon } from '../dom.ts';
import { copyText } from './clipboard.ts';

/**
 * Gives each rendered code block a header with a copy button; a block marked for a host
 * (`data-host`) also runs in that host's terminal when clicked.
 */
export function enhanceCodeBlocks(root: HTMLElement, run: (host: string, script: string) => void): void {
  for (const pre of root.querySelectorAll<HTMLPreElement>('pre.dd-code')) {
    const code = pre.textContent ?? '';
    const host = pre.dataset.host;
    const copy = h(
      'button',
      { class: 'code-action', attrs: { type: 'button', title: 'Copy to the clipboard' } },
      icon('copy', 14),
      h('span', { text: 'Copy' }),
    );
    copy.addEventListener('click', async (event) => {
      event.stopPropagation();
      await copyText(code);
      copy.classList.add('is-done');
      copy.lastElementChild!.textContent = 'Copied';
      window.setTimeout(() => {
        copy.classList.remove('is-done');
        copy.lastElementChild!.textContent = 'Copy';
      }, 1500);
    });
    const label = host
      ? h('span', { class: 'code-label code-label-run' }, icon('play', 12), `Run in ${host}`)
      : h('span', { class: 'code-label', text: pre.dataset.lang ?? 'text' });
    const block = h('div', { class: `code-block${host ? ' is-runnable' : ''}` }, h('div', { class: 'code-header' }, label, copy));
    pre.replaceWith(block);
    block.appendChild(pre);
    if (host) {
      pre.setAttribute('role', 'button');
      pre.setAttribute('tabindex', '0');
      pre.setAttribute('title', `Click to run in ${host}`);
      const start = () => {
        run(host, code);
        block.classList.add('is-ran');
        window.setTimeout(() => block.classList.remove('is-ran'), 600);
      };
      pre.addEventListener('click', () => {
        // Selecting text to copy part of a block must not run it.
        if (!window.getSelection()?.toString()) start();
      });
      pre.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          start();
        }
      });
    }
  }
}
