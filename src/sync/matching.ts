/**
 * Person matching, as ChurchTools' Sync defines it: first and last name must be identical
 * (after normalisation); e-mail and birthday then decide. A field set on both sides that
 * differs rules a candidate out; more agreeing fields rank higher; a tie at the top is a
 * duplicate and nothing is linked. Fuzzy similarity never links (see suggestions.ts).
 *
 * Records are indexed by their normalised name, so matching n × m records costs O(n + m).
 */
import { canonicalValue, isEmptyValue } from './canonical.ts';
import type { FieldValue, IdentityFields, SyncRecord } from './model.ts';
import { normalizeDate, normalizeEmail, normalizeName } from './normalize.ts';

export interface PersonIdentity {
  /** First and last name together; null without a last name (such records never match). */
  readonly key: string | null;
  readonly first: string;
  readonly last: string;
  readonly email: string | null;
  readonly birthday: string | null;
}

function text(value: FieldValue | undefined): string {
  return isEmptyValue(value) ? '' : canonicalValue(value);
}

/** Identities are asked for many times per plan (indexes, both directions, labels): compute once. */
const identities = new WeakMap<IdentityFields, WeakMap<SyncRecord, PersonIdentity>>();

export function identityOf(record: SyncRecord, fields: IdentityFields): PersonIdentity {
  let cache = identities.get(fields);
  if (!cache) {
    cache = new WeakMap();
    identities.set(fields, cache);
  }
  let identity = cache.get(record);
  if (!identity) {
    identity = computeIdentity(record, fields);
    cache.set(record, identity);
  }
  return identity;
}

function computeIdentity(record: SyncRecord, fields: IdentityFields): PersonIdentity {
  const email = fields.email ? text(record.properties[fields.email]) : '';
  const birthday = fields.birthday ? text(record.properties[fields.birthday]) : '';
  const first = normalizeName(text(record.properties[fields.firstName]));
  const last = normalizeName(text(record.properties[fields.lastName]));
  return {
    key: last === '' ? null : `${first}\u0001${last}`,
    first,
    last,
    email: email === '' ? null : normalizeEmail(email),
    birthday: birthday === '' ? null : normalizeDate(birthday),
  };
}

/** "Müller, Anna": how people read a record in logs and reports. */
export function personLabel(record: SyncRecord, fields: IdentityFields): string {
  const first = text(record.properties[fields.firstName]);
  const last = text(record.properties[fields.lastName]);
  return first === '' ? last : last === '' ? first : `${last}, ${first}`;
}

/** Agreeing e-mail and birthday count; a field set on both sides that differs rules out. */
function score(a: PersonIdentity, b: PersonIdentity): number | null {
  let agreeing = 0;
  for (const field of ['email', 'birthday'] as const) {
    const left = a[field];
    const right = b[field];
    if (left === null || right === null) continue;
    if (left !== right) return null;
    agreeing++;
  }
  return agreeing;
}

export type MatchResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'unique'; readonly record: SyncRecord; readonly agreeing: number }
  | { readonly kind: 'duplicate'; readonly candidates: readonly SyncRecord[] };

interface Entry {
  readonly record: SyncRecord;
  readonly identity: PersonIdentity;
}

export class PersonIndex {
  private readonly byName = new Map<string, Entry[]>();
  private readonly removed = new Set<string>();

  constructor(
    records: Iterable<SyncRecord>,
    private readonly fields: IdentityFields,
  ) {
    for (const record of records) this.add(record);
  }

  add(record: SyncRecord): void {
    const identity = identityOf(record, this.fields);
    const key = identity.key;
    if (key === null) return;
    this.removed.delete(record.id);
    const bucket = this.byName.get(key);
    if (bucket) bucket.push({ record, identity });
    else this.byName.set(key, [{ record, identity }]);
  }

  /** Taken records (linked in this plan) stop being candidates. */
  remove(id: string): void {
    this.removed.add(id);
  }

  find(identity: PersonIdentity): MatchResult {
    const key = identity.key;
    if (key === null) return { kind: 'none' };
    let best: Entry[] = [];
    let bestScore = -1;
    for (const entry of this.byName.get(key) ?? []) {
      if (this.removed.has(entry.record.id)) continue;
      const s = score(identity, entry.identity);
      if (s === null) continue;
      if (s > bestScore) {
        best = [entry];
        bestScore = s;
      } else if (s === bestScore) {
        best.push(entry);
      }
    }
    const [first] = best;
    if (!first) return { kind: 'none' };
    if (best.length > 1) return { kind: 'duplicate', candidates: best.map((entry) => entry.record) };
    return { kind: 'unique', record: first.record, agreeing: bestScore };
  }
}

/** Whether two records could be the same person at all (used to trust a stored partner id). */
export function compatible(a: PersonIdentity, b: PersonIdentity): boolean {
  return a.key !== null && a.key === b.key && score(a, b) !== null;
}
