import type { LabBody } from '../../../shared/api.ts';
import { api, ApiError } from '../api.ts';
import { h, icon } from '../dom.ts';
import { sessionStore, type StoredSession } from '../session-store.ts';
import { appHeader } from './app-header.ts';
import { LabWorkspace } from './lab-workspace.ts';

/**
 * Opens a lab: finds the learner's running session for it (a reload lands here) or starts one,
 * then hands over to the workspace. Returns what tears the page down.
 */
export async function labView(root: HTMLElement, labId: string): Promise<() => void> {
  root.replaceChildren(appHeader(), loading('Preparing your lab hosts…'));
  let lab: LabBody;
  let session: StoredSession;
  try {
    lab = await api.lab(labId);
    document.title = `${lab.title} · Drydock`;
    session = await runningSession(labId);
  } catch (err) {
    root.replaceChildren(appHeader(), failure(err as Error, labId));
    return () => {};
  }
  const workspace = new LabWorkspace(root, lab, session);
  return () => workspace.dispose();
}

async function runningSession(labId: string): Promise<StoredSession> {
  const stored = sessionStore.get(labId);
  if (stored) {
    try {
      await api.session(stored.id, stored.token);
      return stored;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      sessionStore.forget(labId);
    }
  }
  const started = await api.startSession(labId);
  const fresh = { id: started.session.id, token: started.token };
  sessionStore.set(labId, fresh);
  return fresh;
}

function loading(text: string): HTMLElement {
  return h(
    'main',
    { class: 'page-state', attrs: { 'aria-busy': 'true' } },
    h('div', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
    h('p', { text }),
  );
}

function failure(err: Error, labId: string): HTMLElement {
  const full = err instanceof ApiError && (err.code === 'DD_SESSION_LIMIT' || err.code === 'DD_SANDBOX_CAPACITY');
  return h(
    'main',
    { class: 'page-state' },
    h('div', { class: 'page-state-icon' }, icon('alert', 28)),
    h('h1', { text: full ? 'No lab place for you right now' : 'This lab could not be opened' }),
    h('p', { class: 'page-state-message', text: err.message }),
    h(
      'div',
      { class: 'finish-actions' },
      h('a', { class: 'btn btn-secondary', attrs: { href: '#/' }, text: 'All labs' }),
      h(
        'button',
        { class: 'btn btn-primary', attrs: { type: 'button' }, on: { click: () => window.dispatchEvent(new HashChangeEvent('hashchange')) } },
        'Try again',
      ),
    ),
    h('p', { class: 'muted small', text: `Lab: ${labId}` }),
  );
}
