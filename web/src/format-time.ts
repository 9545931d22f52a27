const DAY = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const DAY_AND_TIME = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "3 Dec, 14:05": when a step first passed, in the learner's own time zone. */
export function dayAndTime(ms: number): string {
  return DAY_AND_TIME.format(ms);
}

/** "3 Dec". */
export function day(ms: number): string {
  return DAY.format(ms);
}
