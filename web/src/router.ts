import { classPage } from './classroom/class-page.ts';
import { joinView } from './classroom/join-view.ts';
import { instructorView } from './instructor/instructor-view.ts';
import { liveClassView } from './instructor/live-class-view.ts';
import { catalogView } from './views/catalog-view.ts';
import { finishView } from './views/finish-view.ts';
import { labView } from './views/lab-view.ts';

type Teardown = () => void;

/**
 * Hash routes: #/ (catalog), #/labs/ID (lab view), #/done/ID (finish page), #/join[/CODE] (join a
 * class), #/class/ID (a learner's class), #/instructor (classes), #/instructor/classes/ID (live view).
 */
export function startRouter(root: HTMLElement): void {
  let dispose: Teardown = () => {};
  let generation = 0;
  const route = async () => {
    const mine = ++generation;
    dispose();
    dispose = () => {};
    const [, page, ...rest] = location.hash.replace(/^#\/?/, '/').split('/');
    const [id, second] = rest.map((part) => decodeURIComponent(part));
    const teardown = await open(root, page ?? '', id ?? '', second ?? '');
    // The user navigated on while the page was loading: close what just opened.
    if (mine === generation) dispose = teardown;
    else teardown();
  };
  window.addEventListener('hashchange', () => void route());
  void route();
}

async function open(root: HTMLElement, page: string, id: string, second: string): Promise<Teardown> {
  const none = () => {};
  if (page === 'labs' && id) return labView(root, id);
  if (page === 'done' && id) await finishView(root, id);
  else if (page === 'join') joinView(root, id);
  else if (page === 'class' && id) await classPage(root, id);
  else if (page === 'instructor' && id === 'classes' && second) return liveClassView(root, second);
  else if (page === 'instructor') await instructorView(root);
  else await catalogView(root);
  return none;
}
