import { catalogView } from './views/catalog-view.ts';
import { finishView } from './views/finish-view.ts';
import { labView } from './views/lab-view.ts';

/** Hash routes: #/ (catalog), #/labs/ID (lab view), #/done/ID (finish page). */
export function startRouter(root: HTMLElement): void {
  let dispose: () => void = () => {};
  let generation = 0;
  const route = async () => {
    const mine = ++generation;
    dispose();
    dispose = () => {};
    const [, page, id] = location.hash.replace(/^#\/?/, '/').split('/');
    const labId = decodeURIComponent(id ?? '');
    if (page === 'labs' && labId) {
      const teardown = await labView(root, labId);
      // The learner navigated on while the lab was loading: close what just opened.
      if (mine === generation) dispose = teardown;
      else teardown();
    } else if (page === 'done' && labId) finishView(root, labId);
    else await catalogView(root);
  };
  window.addEventListener('hashchange', () => void route());
  void route();
}
