import type { Lab, LabError } from './lab.ts';
import { didYouMean } from './nearest.ts';

/**
 * Problems between labs, which no single file shows: a prerequisite that is not a lab (or is
 * hidden from learners, or comes later in the track), prerequisites that go round in a circle,
 * two labs at one place of a track. `labIds` are all the lab folders, loaded or not.
 */
export function checkCourse(labs: readonly Lab[], labIds: readonly string[]): LabError[] {
  const byId = new Map(labs.map((lab) => [lab.id, lab]));
  const errors: LabError[] = [];
  const add = (lab: Lab, key: string, message: string) => errors.push({ file: lab.file, line: lab.keyLines[key] ?? 1, message: `front matter: "${key}": ${message}` });
  for (const lab of labs) {
    for (const id of lab.requires) {
      const required = byId.get(id);
      if (!labIds.includes(id)) add(lab, 'requires', `there is no lab "${id}"${didYouMean(id, labIds)}`);
      else if (required && lab.listed && !required.listed) add(lab, 'requires', `"${id}" is not listed in the catalog (listed: false), so learners cannot find it`);
      else if (required && lab.track !== undefined && required.track === lab.track && required.order! >= lab.order!) {
        add(lab, 'requires', `"${id}" comes at place ${required.order} of track ${lab.track}, not before this lab's ${lab.order}: a lab builds on earlier ones`);
      }
    }
    const cycle = cycleThrough(lab, byId);
    if (cycle) add(lab, 'requires', `${cycle.join(' → ')} is a circle: a lab cannot build on itself`);
  }
  const places = new Map<string, Lab>();
  for (const lab of labs) {
    if (lab.track === undefined) continue;
    const place = `${lab.track}#${lab.order}`;
    const first = places.get(place);
    if (first) add(lab, 'order', `${first.id} has place ${lab.order} of track ${lab.track} already: give each lab of a track its own place`);
    else places.set(place, lab);
  }
  return errors;
}

/** The prerequisites' path from `lab` back to itself, if there is one. */
function cycleThrough(lab: Lab, byId: ReadonlyMap<string, Lab>): string[] | undefined {
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | undefined => {
    if (id === lab.id && path.length > 0) return [...path, id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    for (const next of byId.get(id)?.requires ?? []) {
      const found = walk(next, [...path, id]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(lab.id, []);
}

/**
 * The learner's catalog: listed labs only, each track in teaching order (tracks by name), then
 * labs outside any track by id.
 */
export function catalogOrder<T extends Pick<Lab, 'id' | 'track' | 'order' | 'listed'>>(labs: readonly T[]): T[] {
  const key = (lab: T) => [lab.track === undefined ? 1 : 0, lab.track ?? '', lab.order ?? 0, lab.id] as const;
  return labs
    .filter((lab) => lab.listed)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] - y[0] || x[1].localeCompare(y[1]) || x[2] - y[2] || x[3].localeCompare(y[3]);
    });
}
