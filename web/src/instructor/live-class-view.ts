import type { ClassBody, LearnerRowBody } from '../../../shared/classroom.ts';
import { api } from '../api.ts';
import { classPaths, classroomApi } from '../classroom-api.ts';
import { h, icon } from '../dom.ts';
import { confirmDialog } from '../ui/confirm-dialog.ts';
import { loadingState, problemState } from '../ui/page-state.ts';
import { promptDialog } from '../ui/prompt-dialog.ts';
import { toast } from '../ui/toast.ts';
import { classFeed } from './class-feed.ts';
import { ClassRoster } from './class-roster.ts';
import { ServerClock } from './elapsed.ts';
import { instructorHeader, needsSignIn } from './instructor-view.ts';
import { joinDetails, joiningState } from './join-link.ts';
import { LearnerRow } from './learner-row.ts';
import { ClassMessageBox, MESSAGE_MAX } from './class-message-box.ts';
import { signInForm } from './sign-in-form.ts';
import { appHeader } from '../views/app-header.ts';
import { watchDialog } from './watch-dialog.ts';

/** `#/instructor/classes/ID`: one row per learner, live from the class's event stream. Returns its teardown. */
export async function liveClassView(root: HTMLElement, classId: string): Promise<() => void> {
  root.replaceChildren(instructorHeader(), loadingState('Opening the class…'));
  let klass: ClassBody;
  let titles: Map<string, string>;
  try {
    const [found, labs] = await Promise.all([classroomApi.class(classId), api.labs()]);
    klass = found;
    titles = new Map(labs.map((lab) => [lab.id, lab.title]));
  } catch (err) {
    if (needsSignIn(err))
      root.replaceChildren(
        appHeader(),
        signInForm(() => window.dispatchEvent(new HashChangeEvent('hashchange'))),
      );
    else root.replaceChildren(instructorHeader(), problemState('This class could not be opened', (err as Error).message, backLink()));
    return () => {};
  }
  return new LiveClass(root, klass, titles).dispose;
}

class LiveClass {
  private readonly roster = new ClassRoster();
  private readonly clock = new ServerClock();
  private readonly rows = new Map<string, LearnerRow>();
  private readonly body = h('tbody');
  private readonly emptyRow = h(
    'p',
    { class: 'empty', attrs: { 'data-testid': 'no-learners' } },
    'No learners yet. Share the link or read out the code: each learner appears here as they join.',
  );
  private readonly summary = h('p', { class: 'class-summary', attrs: { 'data-testid': 'class-summary' } });
  private readonly feedState = h('span', { class: 'connection', attrs: { role: 'status' } });
  private readonly classPanel = h('section', { class: 'panel class-panel' });
  private readonly tableBox: HTMLElement;
  private readonly stopFeed: () => void;
  private readonly ticker: number;

  constructor(
    root: HTMLElement,
    klass: ClassBody,
    private readonly titles: ReadonlyMap<string, string>,
  ) {
    this.roster.class = klass;
    document.title = `${klass.title} · Drydock`;
    const table = h(
      'table',
      { class: 'learner-table', attrs: { 'data-testid': 'learners' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Learner', 'Lab', 'Step', 'On this step', 'Status', ''].map((label, i) =>
            h('th', { class: ['cell-name', 'cell-lab', 'cell-step', 'cell-time', 'cell-status', 'cell-actions'][i], text: label }),
          ),
        ),
      ),
      this.body,
    );
    this.tableBox = h('div', { class: 'table-scroll' }, table);
    const box = new ClassMessageBox((text) => classroomApi.message(klass.id, { text }));
    root.replaceChildren(
      instructorHeader(this.feedState),
      h(
        'main',
        { class: 'live-class' },
        this.classPanel,
        h(
          'section',
          { class: 'panel learners-panel' },
          h(
            'div',
            { class: 'learners-head' },
            h('h2', { class: 'panel-title', text: 'Learners' }),
            this.summary,
            h(
              'a',
              { class: 'btn btn-secondary btn-small', attrs: { href: classPaths.csv(klass.id), download: '', 'data-action': 'csv' } },
              icon('download', 14),
              'Export CSV',
            ),
          ),
          box.element,
          this.tableBox,
          this.emptyRow,
        ),
      ),
    );
    this.renderClass();
    this.renderAll();
    this.stopFeed = classFeed(klass.id, {
      event: (event) => {
        if ('serverNow' in event) this.clock.sync(event.serverNow);
        const change = this.roster.apply(event);
        if (change.all) this.renderAll();
        else if (change.row) this.renderRow(change.row);
        if (change.all || change.classChanged) this.renderClass();
        this.renderSummary();
      },
      state: (state) => this.feedStateChanged(state),
    });
    this.ticker = window.setInterval(() => {
      const now = this.clock.serverTime();
      for (const row of this.rows.values()) row.tick(now);
    }, 1000);
  }

  readonly dispose = (): void => {
    this.stopFeed();
    window.clearInterval(this.ticker);
  };

  private renderClass(): void {
    const klass = this.roster.class!;
    const state = joiningState(klass);
    const toggle = h(
      'button',
      {
        class: 'btn btn-secondary btn-small',
        attrs: { type: 'button', 'data-action': klass.joiningOpen ? 'close-joining' : 'reopen-joining' },
        on: { click: () => void this.toggleJoining(toggle) },
      },
      icon(klass.joiningOpen ? 'lock' : 'reset', 14),
      klass.joiningOpen ? 'Close joining' : 'Reopen joining',
    );
    this.classPanel.replaceChildren(
      h(
        'div',
        { class: 'class-panel-head' },
        h('a', { class: 'back-link', attrs: { href: '#/instructor' } }, icon('arrowLeft', 14), 'All classes'),
        h('h1', { class: 'class-title', text: klass.title }),
        h('span', { class: `badge ${state.open ? 'badge-ok' : 'badge-muted'}`, attrs: { 'data-testid': 'joining-state' }, text: state.text }),
        toggle,
      ),
      joinDetails(klass),
    );
  }

  private renderAll(): void {
    const now = this.clock.serverTime();
    const ordered = this.roster.ordered();
    const seen = new Set<string>();
    for (const body of ordered) {
      seen.add(body.learnerId);
      this.rowFor(body.learnerId).update(body, now);
    }
    for (const [id, row] of this.rows) {
      if (seen.has(id)) continue;
      row.element.remove();
      this.rows.delete(id);
    }
    this.body.replaceChildren(...ordered.map((r) => this.rows.get(r.learnerId)!.element));
    this.emptyRow.hidden = ordered.length > 0;
    this.tableBox.hidden = ordered.length === 0;
    this.renderSummary();
  }

  private renderRow(body: LearnerRowBody): void {
    this.rowFor(body.learnerId).update(body, this.clock.serverTime());
  }

  private rowFor(learnerId: string): LearnerRow {
    let row = this.rows.get(learnerId);
    if (!row) {
      row = new LearnerRow((labId) => this.titles.get(labId) ?? labId, {
        watch: (r) => watchDialog(this.roster.class!.id, { learnerId: r.learnerId, name: r.name, labTitle: this.titles.get(r.labId ?? '') ?? '' }),
        message: (r) => void this.messageLearner(r),
        reset: (r) => void this.resetLearner(r),
        end: (r) => void this.endLearner(r),
      });
      this.rows.set(learnerId, row);
    }
    return row;
  }

  private renderSummary(): void {
    const rows = this.roster.ordered();
    const stuck = rows.filter((r) => r.stuck).length;
    const working = rows.filter((r) => r.sessionId).length;
    this.summary.textContent = `${rows.length} learner${rows.length === 1 ? '' : 's'} · ${working} in a lab · ${stuck} stuck`;
    this.summary.classList.toggle('has-stuck', stuck > 0);
  }

  private feedStateChanged(state: 'live' | 'reconnecting' | 'closed'): void {
    this.feedState.textContent = state === 'reconnecting' ? 'Reconnecting…' : state === 'closed' ? 'Updates stopped: reload the page' : '';
    this.feedState.classList.toggle('is-visible', state !== 'live');
    if (state === 'closed') this.dispose();
  }

  private async toggleJoining(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      this.roster.class = await classroomApi.updateClass(this.roster.class!.id, { joiningOpen: !this.roster.class!.joiningOpen });
      this.renderClass();
    } catch (err) {
      toast((err as Error).message, 'error');
      button.disabled = false;
    }
  }

  private async messageLearner(row: LearnerRowBody): Promise<void> {
    const text = await promptDialog({
      title: `Message ${row.name}`,
      message: 'It appears in their lab view until they dismiss it.',
      confirm: 'Send',
      maxLength: MESSAGE_MAX,
    });
    if (text) await this.act(() => classroomApi.message(this.roster.class!.id, { text, learnerId: row.learnerId }), `Message sent to ${row.name}.`);
  }

  private async resetLearner(row: LearnerRowBody): Promise<void> {
    const ok = await confirmDialog({
      title: `Reset ${row.name}’s lab?`,
      message: 'Their hosts are replaced with fresh ones and everything they made in them is lost. Steps they passed stay recorded.',
      confirm: 'Reset their lab',
      danger: true,
    });
    if (ok) await this.act(() => classroomApi.resetLearner(this.roster.class!.id, row.learnerId), `${row.name}’s lab is being reset.`);
  }

  private async endLearner(row: LearnerRowBody): Promise<void> {
    const ok = await confirmDialog({
      title: `End ${row.name}’s lab?`,
      message: 'Their hosts are removed, with everything that runs in them. They can start the lab again from the class page.',
      confirm: 'End their lab',
      danger: true,
    });
    if (ok) await this.act(() => classroomApi.endLearner(this.roster.class!.id, row.learnerId), `${row.name}’s lab was ended.`);
  }

  private async act(call: () => Promise<void>, done: string): Promise<void> {
    try {
      await call();
      toast(done);
    } catch (err) {
      toast((err as Error).message, 'error');
    }
  }
}

function backLink(): HTMLElement {
  return h('a', { class: 'btn btn-secondary', attrs: { href: '#/instructor' }, text: 'All classes' });
}
