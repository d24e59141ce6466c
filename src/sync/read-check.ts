/**
 * What every read of a whole list must satisfy before "not in the list" may mean "does not
 * exist": each id once, and as many ids as the system said the list holds. A list that changed
 * between pages, or a page that came back short, fails one of the two.
 */
import type { ReadProblem } from './ports.ts';

/** A problem naming what is wrong with the read, or null when it is consistent. */
export function readConsistency(what: string, ids: Iterable<string>, total: number | null): ReadProblem | null {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  let count = 0;
  for (const id of ids) {
    count++;
    if (seen.has(id)) repeated.add(id);
    else seen.add(id);
  }
  if (repeated.size > 0) {
    const examples = [...repeated].slice(0, 5).join(', ');
    return { what, message: `${repeated.size} record(s) came twice (e.g. ${examples}); the list changed while it was read` };
  }
  if (total === null) return { what, message: `the system did not say how many records the list holds (read ${count})` };
  if (count !== total) return { what, message: `read ${count} of ${total} records; the list changed while it was read or a page came back short` };
  return null;
}
