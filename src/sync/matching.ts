/**
 * Person matching, as ChurchTools' Sync defines it: first and last name must be identical
 * (after normalisation); e-mail and birthday then decide. A field set on both sides that
 * differs rules a candidate out; more agreeing fields rank higher; a tie at the top is a
 * duplicate and nothing is linked. Fuzzy similarity never links (see suggestions.ts).
 *
 * Records are indexed by their normalised name, so matching n × m records costs O(n + m).
 */
import { canonicalValue } from './canonical.ts';
import type { IdentityFields, SyncRecord } from './model.ts';
import { normalizeDate, normalizeEmail, normalizeName } from './normalize.ts';

export interface PersonIdentity {
  /** First and last name together; null without a last name (such records never match). */
  readonly key: string | null;
  readonly first: string;
  readonly last: string;
  readonly email: string | null;
  readonly birthday: string | null;
}

/** Identities are asked for many times per plan (indexes, both directions, labels): compute once. */
const identities = new WeakMap<IdentityFields, WeakMap<SyncRecord, PersonIdentity>>();

function identityCache(fields: IdentityFields): WeakMap<SyncRecord, PersonIdentity> {
  let cache = identities.get(fields);
  if (!cache) {
    cache = new WeakMap();
    identities.set(fields, cache);
  }
  return cache;
}

export function identityOf(record: SyncRecord, fields: IdentityFields): PersonIdentity {
  return cachedIdentity(identityCache(fields), record, fields);
}

function cachedIdentity(cache: WeakMap<SyncRecord, PersonIdentity>, record: SyncRecord, fields: IdentityFields): PersonIdentity {
  let identity = cache.get(record);
  if (!identity) {
    identity = computeIdentity(record, fields);
    cache.set(record, identity);
  }
  return identity;
}

function computeIdentity(record: SyncRecord, fields: IdentityFields): PersonIdentity {
  const email = fields.email ? canonicalValue(record.properties[fields.email]) : '';
  const birthday = fields.birthday ? canonicalValue(record.properties[fields.birthday]) : '';
  const first = normalizeName(canonicalValue(record.properties[fields.firstName]));
  const last = normalizeName(canonicalValue(record.properties[fields.lastName]));
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
  const first = canonicalValue(record.properties[fields.firstName]);
  const last = canonicalValue(record.properties[fields.lastName]);
  return first === '' ? last : last === '' ? first : `${last}, ${first}`;
}

/** Agreeing e-mail and birthday count; a field set on both sides that differs rules out. */
function score(a: PersonIdentity, b: PersonIdentity): number | null {
  const email = agreement(a.email, b.email);
  const birthday = agreement(a.birthday, b.birthday);
  return email === null || birthday === null ? null : email + birthday;
}

/** 1 when both are set and equal, 0 when either is unset, null when they differ. */
function agreement(left: string | null, right: string | null): number | null {
  if (left === null || right === null) return 0;
  return left === right ? 1 : null;
}

export type MatchResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'unique'; readonly record: SyncRecord; readonly agreeing: number }
  | { readonly kind: 'duplicate'; readonly candidates: readonly SyncRecord[] };

const NO_MATCH: MatchResult = { kind: 'none' };

export class PersonIndex {
  /**
   * Records by name: the record itself, or a list when several share the name. Most names
   * are unique, and 60,000 one-element lists cost a first sync noticeable time.
   */
  private readonly byName = new Map<string, SyncRecord | SyncRecord[]>();
  private readonly removed = new Set<string>();
  private readonly identities: WeakMap<SyncRecord, PersonIdentity>;

  constructor(
    records: Iterable<SyncRecord>,
    private readonly fields: IdentityFields,
  ) {
    this.identities = identityCache(fields);
    for (const record of records) this.add(record);
  }

  add(record: SyncRecord): void {
    const key = this.identity(record).key;
    if (key === null) return;
    this.removed.delete(record.id);
    const found = this.byName.get(key);
    if (found === undefined) this.byName.set(key, record);
    else if (Array.isArray(found)) found.push(record);
    else this.byName.set(key, [found as SyncRecord, record]);
  }

  /** Taken records (linked in this plan) stop being candidates. */
  remove(id: string): void {
    this.removed.add(id);
  }

  /** `excluded`: ids that are no candidates this time (records already paired). */
  find(identity: PersonIdentity, excluded?: { has(id: string): boolean }): MatchResult {
    const key = identity.key;
    if (key === null) return NO_MATCH;
    const found = this.byName.get(key);
    if (found === undefined) return NO_MATCH;
    if (!Array.isArray(found)) return this.only(identity, found as SyncRecord, excluded);
    // The best candidate, and the others as good as it only when there are any.
    let best: SyncRecord | null = null;
    let ties: SyncRecord[] | null = null;
    let bestScore = -1;
    for (const candidate of found as SyncRecord[]) {
      if (!this.open(candidate, excluded)) continue;
      const s = score(identity, this.identity(candidate));
      if (s === null) continue;
      if (s > bestScore) {
        best = candidate;
        ties = null;
        bestScore = s;
      } else if (s === bestScore && best) {
        (ties ??= [best]).push(candidate);
      }
    }
    if (!best) return NO_MATCH;
    if (ties) return { kind: 'duplicate', candidates: ties };
    return { kind: 'unique', record: best, agreeing: bestScore };
  }

  private only(identity: PersonIdentity, candidate: SyncRecord, excluded: { has(id: string): boolean } | undefined): MatchResult {
    if (!this.open(candidate, excluded)) return NO_MATCH;
    const s = score(identity, this.identity(candidate));
    return s === null ? NO_MATCH : { kind: 'unique', record: candidate, agreeing: s };
  }

  private open(candidate: SyncRecord, excluded: { has(id: string): boolean } | undefined): boolean {
    return !this.removed.has(candidate.id) && !excluded?.has(candidate.id);
  }

  private identity(record: SyncRecord): PersonIdentity {
    return cachedIdentity(this.identities, record, this.fields);
  }
}

/** Whether two records could be the same person at all (used to trust a stored partner id). */
export function compatible(a: PersonIdentity, b: PersonIdentity): boolean {
  return a.key !== null && a.key === b.key && score(a, b) !== null;
}
