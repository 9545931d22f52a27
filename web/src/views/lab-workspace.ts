import type { LabBody } from '../../../shared/api.ts';
import type { EndReason, ServerMessage, StepStatus } from '../../../shared/protocol.ts';
import { api, ApiError } from '../api.ts';
import { h, icon } from '../dom.ts';
import { LessonPane } from '../lesson/lesson-pane.ts';
import { RegistryEventsPanel } from '../lesson/registry-events.ts';
import { progressBar } from '../lesson/step-list.ts';
import { SessionSocket, type ConnectionState } from '../session/session-socket.ts';
import { SessionTimer } from '../session/session-timer.ts';
import { sessionStore, type StoredSession } from '../session-store.ts';
import { TerminalTabs } from '../terminal/terminal-tabs.ts';
import { currentTheme, onThemeChange } from '../theme.ts';
import { confirmDialog } from '../ui/confirm-dialog.ts';
import { splitDivider } from '../ui/split-divider.ts';
import { showNotice } from '../ui/notice-banner.ts';
import { toast } from '../ui/toast.ts';
import { appHeader } from './app-header.ts';
import { rememberResult } from './finish-view.ts';

/** The lab view of a running session: lesson and terminals side by side, wired to the session socket. */
export class LabWorkspace {
  private readonly lesson: LessonPane;
  private readonly registryEvents = new RegistryEventsPanel();
  private readonly terminals: TerminalTabs;
  private readonly timer: SessionTimer;
  private readonly progress = progressBar();
  private readonly socket: SessionSocket;
  private readonly connection = h('span', { class: 'connection', attrs: { role: 'status' } });
  private readonly overlay = h('div', { class: 'overlay', attrs: { hidden: true } });
  private readonly stopTheme: () => void;
  private statuses: StepStatus[] = [];
  private leaving = false;
  /** The server said it is restarting: the lab runs on, and the socket reconnects once it is back. */
  private serverRestarting = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly lab: LabBody,
    private readonly session: StoredSession,
  ) {
    this.socket = new SessionSocket(session.id, session.token, {
      message: (m) => this.received(m),
      output: (index, data) => this.terminals.output(index, data),
      state: (s, reason) => this.connectionState(s, reason),
      lost: () => this.stillRunning(),
    });
    const send = this.socket.send.bind(this.socket);
    this.lesson = new LessonPane(lab, {
      run: (host, script) => this.terminals.run(host, script),
      check: () => send({ type: 'check' }),
      finish: () => void this.finish(),
    });
    this.terminals = new TerminalTabs(lab.hosts, session, send, currentTheme());
    this.timer = new SessionTimer(() => void this.extend());
    this.progress.update(0, lab.steps.length);

    this.lesson.element.append(this.registryEvents.element);
    const split = h('main', { class: 'workspace' }, this.lesson.element);
    split.append(splitDivider(split), this.terminals.element, this.overlay);
    root.replaceChildren(
      appHeader(
        h('div', { class: 'lab-title-block' }, h('span', { class: 'lab-title', text: lab.title }), this.progress.element),
        h(
          'div',
          { class: 'session-controls' },
          this.connection,
          this.timer.element,
          h(
            'button',
            {
              class: 'btn btn-ghost btn-small',
              attrs: { type: 'button', 'data-action': 'reset', title: 'Replace your hosts with fresh ones and start over' },
              on: { click: () => void this.reset() },
            },
            icon('reset', 14),
            'Reset',
          ),
          h(
            'button',
            {
              class: 'btn btn-danger-ghost btn-small',
              attrs: { type: 'button', 'data-action': 'end', title: 'End the lab and remove your hosts' },
              on: { click: () => void this.end() },
            },
            icon('stop', 14),
            'End',
          ),
        ),
      ),
      split,
    );
    this.terminals.mount();
    this.stopTheme = onThemeChange((theme) => this.terminals.setTheme(theme));
    this.socket.connect();
  }

  dispose(): void {
    this.leaving = true;
    this.socket.close();
    this.timer.dispose();
    this.terminals.dispose();
    this.stopTheme();
  }

  private received(message: ServerMessage): void {
    switch (message.type) {
      case 'session':
        this.timer.update(message.session);
        this.terminals.hostStates(message.session.hosts);
        this.showOverlay(message.session.state === 'resetting' ? 'Replacing your hosts with fresh ones…' : undefined);
        break;
      case 'steps':
        this.statuses = message.steps;
        this.lesson.setStatuses(message.steps);
        this.progress.update(message.steps.filter((s) => s.status === 'passed').length, message.steps.length);
        break;
      case 'attached':
        this.terminals.attached(message.host, message.restored === true);
        break;
      case 'restarting':
        this.serverRestarting = true;
        break;
      case 'exited':
        this.terminals.exited(message.host);
        break;
      case 'error':
        toast(message.message, 'error');
        break;
      case 'ended':
        if (message.reason === 'replaced') this.replaced();
        else this.leave(message.reason);
        break;
      case 'labUpdated':
        void this.labUpdated(message.applied);
        break;
      case 'registryEvents':
        this.registryEvents.add(message.events);
        break;
      case 'commandFinished':
        break;
      case 'notice':
        showNotice(message.text, message.sentAt);
        break;
    }
  }

  /** Dev mode: the lab's file was edited; show the new text, or say that a reset applies it. */
  private async labUpdated(applied: boolean): Promise<void> {
    if (!applied) {
      toast('The lab changed its hosts or steps: reset the session to use the new version.', 'info');
      return;
    }
    try {
      this.lesson.setLab(await api.lab(this.lab.id));
      toast('The lesson was updated.', 'info');
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'error');
    }
  }

  private connectionState(state: ConnectionState, reason?: string): void {
    if (state === 'open') this.serverRestarting = false;
    const reconnecting = this.serverRestarting ? 'Drydock is restarting; your lab keeps running. Reconnecting…' : 'Reconnecting…';
    // Closed for good by the server: say why and how to come back, since nothing reconnects by itself.
    this.connection.textContent = state === 'reconnecting' ? reconnecting : reason ? `Disconnected: ${reason}. Reload the page to reconnect.` : '';
    this.connection.classList.toggle('is-visible', state === 'reconnecting' || reason !== undefined);
  }

  /** After a drop: reconnect if the session still runs, else show how it ended. */
  private async stillRunning(): Promise<boolean> {
    try {
      await api.session(this.session.id, this.session.token);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.leave('gone');
        return false;
      }
      return true;
    }
  }

  private replaced(): void {
    const again = h(
      'button',
      { class: 'btn btn-primary', attrs: { type: 'button' }, on: { click: () => (this.showOverlay(undefined), this.socket.connect()) } },
      'Use it here',
    );
    this.showOverlay('This lab is open in another tab or window.', again);
  }

  private showOverlay(text: string | undefined, ...actions: HTMLElement[]): void {
    this.overlay.hidden = text === undefined;
    if (text !== undefined)
      this.overlay.replaceChildren(
        h('div', { class: 'overlay-card' }, h('div', { class: 'spinner', attrs: { hidden: actions.length > 0 } }), h('p', { text }), ...actions),
      );
  }

  private async extend(): Promise<void> {
    try {
      const { session } = await api.extend(this.session.id, this.session.token);
      this.timer.update(session);
    } catch (err) {
      toast((err as Error).message, 'error');
    }
  }

  private async reset(): Promise<void> {
    const ok = await confirmDialog({
      title: 'Reset this lab?',
      message: 'Your hosts are replaced with fresh ones and your progress is cleared. Anything you made in them is lost.',
      confirm: 'Reset lab',
      danger: true,
    });
    if (!ok) return;
    this.showOverlay('Replacing your hosts with fresh ones…');
    try {
      await api.reset(this.session.id, this.session.token);
    } catch (err) {
      toast((err as Error).message, 'error');
    } finally {
      this.showOverlay(undefined);
    }
  }

  private async finish(): Promise<void> {
    if (!this.lesson.complete) return this.end();
    await this.endSession();
  }

  private async end(): Promise<void> {
    const ok = await confirmDialog({
      title: 'End this lab?',
      message: 'Your hosts are removed, with everything that runs in them. You can start the lab again later.',
      confirm: 'End lab',
      danger: true,
    });
    if (ok) await this.endSession();
  }

  private async endSession(): Promise<void> {
    this.showOverlay('Removing your hosts…');
    try {
      await api.end(this.session.id, this.session.token);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) {
        this.showOverlay(undefined);
        toast((err as Error).message, 'error');
        return;
      }
    }
    this.leave('ended');
  }

  private leave(reason: EndReason | 'gone'): void {
    if (this.leaving) return;
    this.leaving = true;
    sessionStore.forget(this.lab.id);
    rememberResult({
      labId: this.lab.id,
      title: this.lab.title,
      stepsDone: this.statuses.filter((s) => s.status === 'passed').length,
      stepCount: this.lab.steps.length,
      reason,
    });
    location.hash = `#/done/${encodeURIComponent(this.lab.id)}`;
  }
}
