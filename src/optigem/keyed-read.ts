/**
 * Reads a whole bridge list by key (`after=<last key>`, the bridge's stable ascending order), so
 * a delete or insert between two pages can neither skip nor repeat a record that existed
 * throughout the read. A failed page is reported, never thrown; the read is complete only when
 * every page answered, every key came once and their number equals the last page's total.
 */
import type { ReadProblem } from '../sync/ports.ts';
import { readConsistency } from '../sync/read-check.ts';
import { toPortError } from './port-errors.ts';

export interface KeyedPage<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly nextAfter: string | null;
}

export interface KeyedRead<T> {
  readonly items: T[];
  readonly problems: ReadProblem[];
}

/** Stops a bridge that keeps answering with a next key after this many pages (a loop). */
const MAX_PAGES = 100_000;

export async function readKeyed<T>(
  what: string,
  fetchPage: (after: string | undefined) => Promise<KeyedPage<T>>,
  keyOf: (item: T) => string,
): Promise<KeyedRead<T>> {
  const items: T[] = [];
  let after: string | undefined;
  let total: number | null = null;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let result: KeyedPage<T>;
    try {
      result = await fetchPage(after);
    } catch (error) {
      const where = after === undefined ? 'first page' : `page after ${after}`;
      const failure = toPortError(error);
      return { items, problems: [{ what: `${where} of ${what}`, message: failure.message, error: { key: `error.${failure.code}`, args: { ...failure.args, detail: failure.message } } }] };
    }
    items.push(...result.items);
    total = result.total;
    if (result.nextAfter === null) break;
    if (result.nextAfter === after) {
      return { items, problems: [{ what, message: `the bridge answered the same next key twice (${after}); read again` }] };
    }
    after = result.nextAfter;
  }
  const inconsistent = readConsistency(what, items.map(keyOf), total);
  return { items, problems: inconsistent ? [inconsistent] : [] };
}
