/** Small helpers for the sentences checks say. */

/** "a, b and 3 more": enough for a learner to recognise what is there instead. */
export function listed(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
