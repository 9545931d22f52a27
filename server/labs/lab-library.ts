import type { Lab } from './lab.ts';

export type LabListener = (lab: Lab) => void;

/**
 * The labs the server offers, by id. Fixed in production; in dev mode the lab watcher replaces a
 * lab when its file changes, and listeners (sessions, rendered bodies) follow.
 */
export class LabLibrary {
  private readonly labs: Map<string, Lab>;
  private readonly listeners = new Set<LabListener>();

  constructor(labs: readonly Lab[]) {
    this.labs = new Map(labs.map((lab) => [lab.id, lab]));
  }

  get(id: string): Lab | undefined {
    return this.labs.get(id);
  }

  all(): Lab[] {
    return [...this.labs.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  replace(lab: Lab): void {
    this.labs.set(lab.id, lab);
    for (const listener of this.listeners) listener(lab);
  }

  subscribe(listener: LabListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
