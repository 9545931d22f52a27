import type { ClassBody, ClassFeedEvent, LearnerRowBody } from '../../../shared/classroom.ts';

/**
 * The live class view's state, fed by the event stream: the class and one row per learner, in the
 * order they joined (rows never jump while the instructor reaches for a button).
 */
export class ClassRoster {
  class: ClassBody | undefined;
  private readonly rows = new Map<string, LearnerRowBody>();

  /** Applies one event; says what to redraw. */
  apply(event: ClassFeedEvent): { all: true } | { all: false; row?: LearnerRowBody; classChanged: boolean } {
    switch (event.type) {
      case 'snapshot':
        this.class = event.class;
        this.rows.clear();
        for (const row of event.rows) this.rows.set(row.learnerId, row);
        return { all: true };
      case 'row': {
        const isNew = !this.rows.has(event.row.learnerId);
        this.rows.set(event.row.learnerId, event.row);
        return isNew ? { all: true } : { all: false, row: event.row, classChanged: false };
      }
      case 'class':
        this.class = event.class;
        return { all: false, classChanged: true };
    }
  }

  ordered(): LearnerRowBody[] {
    return [...this.rows.values()].sort((a, b) => a.joinedAt - b.joinedAt || a.name.localeCompare(b.name));
  }

  get(learnerId: string): LearnerRowBody | undefined {
    return this.rows.get(learnerId);
  }

  get size(): number {
    return this.rows.size;
  }
}
