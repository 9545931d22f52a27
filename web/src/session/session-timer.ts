import type { SessionView } from '../../../shared/protocol.ts';
import { h, icon } from '../dom.ts';

const WARN_MS = 5 * 60_000;

/** Time left in the session, with Extend while the session's maximum allows it. */
export class SessionTimer {
  readonly element: HTMLElement;
  private readonly time = h('span', { class: 'timer-time', attrs: { 'aria-live': 'off' } });
  private readonly extend: HTMLButtonElement;
  private expiresAt = 0;
  private maxExpiresAt = 0;
  /** Server clock minus ours, so a skewed laptop clock shows the right time left. */
  private skew = 0;
  private readonly interval: number;

  constructor(onExtend: () => void) {
    this.extend = h(
      'button',
      {
        class: 'btn btn-ghost btn-small',
        attrs: { type: 'button', 'data-action': 'extend', title: 'Add time to this session' },
        on: { click: onExtend },
      },
      icon('plus', 14),
      'Extend',
    );
    this.element = h('div', { class: 'timer', attrs: { title: 'Time left in this session' } }, icon('clock', 16), this.time, this.extend);
    this.interval = window.setInterval(() => this.render(), 1000);
  }

  update(view: SessionView): void {
    this.expiresAt = view.expiresAt;
    this.maxExpiresAt = view.maxExpiresAt;
    this.skew = view.serverNow - Date.now();
    this.render();
  }

  dispose(): void {
    window.clearInterval(this.interval);
  }

  private render(): void {
    const left = Math.max(0, this.expiresAt - (Date.now() + this.skew));
    this.time.textContent = formatDuration(left);
    this.element.classList.toggle('is-low', left < WARN_MS);
    this.extend.disabled = this.expiresAt >= this.maxExpiresAt;
    this.extend.title = this.extend.disabled ? 'This session has reached its longest allowed time' : 'Add time to this session';
  }
}

export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
