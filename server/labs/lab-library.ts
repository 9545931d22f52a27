import type { PlatformFacts } from './facts.ts';
import type { Lab } from './lab.ts';
import { labForFacts } from './lab-for-facts.ts';

export type LabListener = (lab: Lab) => void;

/**
 * The labs the server offers, by id. Fixed in production; in dev mode the lab watcher replaces a
 * lab when its file changes, and listeners (sessions, rendered bodies) follow. Each lab is kept
 * as taught on this machine: its `:::when` blocks resolved with the machine's facts.
 */
export class LabLibrary {
  private readonly labs: Map<string, Lab>;
  private readonly listeners = new Set<LabListener>();

  constructor(
    labs: readonly Lab[],
    readonly facts: PlatformFacts,
  ) {
    this.labs = new Map(labs.map((lab) => [lab.id, labForFacts(lab, facts)]));
  }

  get(id: string): Lab | undefined {
    return this.labs.get(id);
  }

  all(): Lab[] {
    return [...this.labs.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  replace(parsed: Lab): void {
    const lab = labForFacts(parsed, this.facts);
    this.labs.set(lab.id, lab);
    for (const listener of this.listeners) listener(lab);
  }

  subscribe(listener: LabListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
