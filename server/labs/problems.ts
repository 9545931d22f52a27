import type { LabError } from './lab.ts';

/** Collects the problems of one lab file, each with its line. */
export class Problems {
  private readonly found: LabError[] = [];

  constructor(readonly file: string) {}

  add(line: number, message: string): void {
    this.found.push({ file: this.file, line, message });
  }

  get count(): number {
    return this.found.length;
  }

  /** In file order (the sort is stable: problems of one line keep their order). */
  get list(): LabError[] {
    return [...this.found].sort((a, b) => a.line - b.line);
  }
}
