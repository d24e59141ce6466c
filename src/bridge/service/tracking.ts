/** Change times for presented records, filtering by `updatedSince`, and paging. */
import type { LastModifiedSource } from '../../optigem/schemas.ts';
import type { ShadowLedger, ShadowState } from '../state/shadow.ts';

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

export function trackAll(
  shadow: ShadowLedger,
  entity: string,
  native: boolean,
  records: readonly { key: string; hash: string; modifiedAt?: string | null | undefined }[],
  now: string,
): Map<string, Tracked> {
  if (native) return new Map(records.map((r) => [r.key, fromNative(r.modifiedAt)]));
  const states = shadow.observeAll(entity, records, now);
  return new Map([...states].map(([key, state]) => [key, fromShadow(state)]));
}

export interface Paged<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
}

export function pageOf<T>(all: readonly T[], page: number, limit: number): Paged<T> {
  const start = (page - 1) * limit;
  const items = all.slice(start, start + limit);
  return { items, page, limit, total: all.length, hasMore: start + items.length < all.length };
}
