/**
 * Change times for presented records, filtering by `updatedSince`, and paging.
 *
 * Optigem's tables carry no modification time, and Optigem itself changes records without the
 * bridge seeing it, so the bridge hashes what it reads and remembers when a hash changed. A plain
 * page (no `updatedSince`) reads only its own rows by key from the store's index and checks only
 * their hashes: a change made in Optigem shows on the next read of the page that holds the
 * record. Only `updatedSince` must look at every row (a changed record may sit on any page), so
 * that query alone reads the whole list.
 */
import type { LastModifiedSource } from '../../optigem/schemas.ts';
import type { ShadowLedger, ShadowState } from '../state/shadow.ts';
import type { PageStart } from '../store/types.ts';

export interface Tracked {
  readonly lastModified: string | null;
  readonly source: LastModifiedSource;
  /** When the bridge first saw the record (shadow mode); null for native change times. */
  readonly firstSeen: string | null;
}

export function fromShadow(state: ShadowState): Tracked {
  return { lastModified: state.lastModified, source: state.source, firstSeen: state.firstSeen };
}

export function fromNative(modifiedAt: string | null | undefined): Tracked {
  if (modifiedAt === null || modifiedAt === undefined) return { lastModified: null, source: 'unknown', firstSeen: null };
  return { lastModified: new Date(modifiedAt).toISOString(), source: 'native', firstSeen: null };
}

/**
 * Whether a record may have changed at or after `since`. A record whose change time is unknown
 * counts as changed unless the bridge saw its current content before `since`.
 */
export function changedSince(tracked: Tracked, since: number): boolean {
  if (tracked.lastModified !== null) return Date.parse(tracked.lastModified) >= since;
  if (tracked.firstSeen !== null) return Date.parse(tracked.firstSeen) >= since;
  return true;
}

type TrackInput = readonly { key: string; hash: string; modifiedAt?: string | null | undefined }[];

function track(native: boolean, records: TrackInput, observe: () => ReturnType<ShadowLedger['observeAll']>): Map<string, Tracked> {
  if (native) return new Map(records.map((r) => [r.key, fromNative(r.modifiedAt)]));
  return new Map([...observe()].map(([key, state]) => [key, fromShadow(state)]));
}

/** Tracks just the records of one page (see the module comment). */
export function trackPage(shadow: ShadowLedger, entity: string, native: boolean, records: TrackInput, now: string): Map<string, Tracked> {
  return track(native, records, () => shadow.observeMany(entity, records, now));
}

export function trackAll(shadow: ShadowLedger, entity: string, native: boolean, records: TrackInput, now: string): Map<string, Tracked> {
  return track(native, records, () => shadow.observeAll(entity, records, now));
}

export interface Paged<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  nextAfter: string | null;
}

export interface PageRequest {
  page: number;
  limit: number;
  after?: string | undefined;
}

/** The stores list by their key column: integers compare as numbers, anything else as text. */
export function compareKeys(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One page of a list sorted ascending by `keyOf`: by key when `after` is given (stable under
 * inserts and deletes between pages), else by offset.
 */
export function pageOf<T>(all: readonly T[], request: PageRequest, keyOf: (item: T) => string, compare = compareKeys): Paged<T> {
  const { page, limit, after } = request;
  let start = (page - 1) * limit;
  if (after !== undefined) {
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(keyOf(all[mid] as T), after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = all.slice(start, start + limit);
  const hasMore = start + items.length < all.length;
  const last = items[items.length - 1];
  return { items, page: after === undefined ? page : 1, limit, total: all.length, hasMore, nextAfter: hasMore && last !== undefined ? keyOf(last) : null };
}

/**
 * The size of each list as last counted. A whole read is checked against the total of its last
 * page (the client's read check), so only the first and the last page of a read count; the
 * pages between repeat the latest count instead of counting a fiscal year's bookings ~60 times
 * per read (SQLite walks the year's index entries for it; an ODBC count may cost more).
 */
export class ListCounts {
  private readonly counts = new Map<string, number>();

  async total(list: string, exact: boolean, count: () => Promise<number>): Promise<number> {
    const known = exact ? undefined : this.counts.get(list);
    if (known !== undefined) return known;
    const counted = await count();
    this.counts.set(list, counted);
    return counted;
  }
}

/** Reads one page from the store: `limit + 1` rows tell whether another page follows. */
export async function readKeyedPage<R, P>(
  request: PageRequest,
  source: {
    fetch: (start: PageStart, limit: number) => Promise<R[]>;
    /** Counts the whole list; `counts` (with the list's name) lets middle pages skip it. */
    count: () => Promise<number>;
    counts?: { memo: ListCounts; list: string };
    keyOf: (row: R) => string;
    present: (rows: R[]) => P[];
  },
): Promise<Paged<P>> {
  const { page, limit, after } = request;
  const start: PageStart = after !== undefined ? { after } : { offset: (page - 1) * limit };
  const rows = await source.fetch(start, limit + 1);
  const hasMore = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  const firstOrLast = !hasMore || (after === undefined && page === 1);
  const total = source.counts === undefined ? await source.count() : await source.counts.memo.total(source.counts.list, firstOrLast, source.count);
  return {
    items: source.present(pageRows),
    page: after === undefined ? page : 1,
    limit,
    total,
    hasMore,
    nextAfter: hasMore && last !== undefined ? source.keyOf(last) : null,
  };
}
