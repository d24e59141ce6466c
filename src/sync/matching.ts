/**
 * Person matching, as ChurchTools' Sync defines it: first and last name must be identical
 * (after normalisation); e-mail and birthday then decide. A field set on both sides that
 * differs rules a candidate out; more agreeing fields rank higher; a tie at the top is a
 * duplicate and nothing is linked. Fuzzy similarity never links (see suggestions.ts).
 *
 * Records are indexed by their normalised name, so matching n × m records costs O(n + m).
 */
import { canonicalValue } from './canonical.ts';
import type { FieldValue, IdentityFields, SyncRecord } from './model.ts';
import { normalizeDate, normalizeEmail, normalizeName } from './normalize.ts';

export interface PersonIdentity {
  /** First and last name together; null without a last name (such records never match). */
  readonly key: string | null;
  readonly first: string;
  readonly last: string;
  readonly email: string | null;
  readonly birthday: string | null;
  /** The name's number in the NameNumbers of the index that made this identity; -1 when none did. */
  readonly name: number;
}

/** Identities are asked for many times (suggestions, labels, stored partner ids): compute once. */
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

function computeIdentity(record: SyncRecord, fields: IdentityFields, names?: NameNumbers): PersonIdentity {
  const properties = record.properties;
  const email = fields.email ? lowerText(properties[fields.email], normalizeEmail) : '';
  const birthday = fields.birthday ? plainText(properties[fields.birthday]) : '';
  const first = lowerText(properties[fields.firstName], normalizeName);
  const last = lowerText(properties[fields.lastName], normalizeName);
  const key = last === '' ? null : `${first}\u0001${last}`;
  return {
    key,
    first,
    last,
    email: email === '' ? null : email,
    birthday: birthday === '' ? null : normalizeDate(birthday),
    name: key === null || !names ? -1 : names.numberOf(key),
  };
}

/**
 * Printable ASCII without white space: text that is canonical as it is (nothing to compose or
 * trim) and that a name or e-mail normalisation only lower-cases. Most values are such text,
 * and skipping the general path for them is a good part of indexing 60,000 people.
 */
const PLAIN = /^[!-~]*$/;

function plainText(value: FieldValue | undefined): string {
  return typeof value === 'string' && PLAIN.test(value) ? value : canonicalValue(value);
}

/** `normalize` of the value's canonical text, '' for an empty value. */
function lowerText(value: FieldValue | undefined, normalize: (text: string) => string): string {
  if (typeof value === 'string' && PLAIN.test(value)) return value.toLowerCase();
  const text = canonicalValue(value);
  return text === '' ? '' : normalize(text);
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
  /** `identity`: the record's, for a search in the other direction. */
  | { readonly kind: 'unique'; readonly record: SyncRecord; readonly identity: PersonIdentity; readonly agreeing: number; readonly position: number }
  | { readonly kind: 'duplicate'; readonly candidates: readonly SyncRecord[] };

const NO_MATCH: MatchResult = { kind: 'none' };

/** Ids that are no candidates for a search (records already paired). */
export interface Excluded {
  /** `position`: where the record was added to the index, for exclusions that know records by position (Taken). */
  has(id: string, position: number): boolean;
}

/**
 * Normalised names, numbered in the order first seen. Both systems' indexes of a plan share
 * one: each name is hashed once, when its record is indexed, and a search by an identity an
 * index made is a look into an array. Looking up 30,000 names of one system in the other's
 * map by name was about a tenth of a first person plan.
 */
export class NameNumbers {
  private readonly numbers = new Map<string, number>();
  /** The name of each number. */
  readonly keys: string[] = [];

  numberOf(key: string): number {
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.keys.length;
      this.numbers.set(key, number);
      this.keys.push(key);
    }
    return number;
  }

  /** The number of a name the identity carries, if it is this one's; else looked up by name. */
  find(identity: PersonIdentity): number | undefined {
    const key = identity.key;
    if (key === null) return undefined;
    const number = identity.name;
    return number >= 0 && this.keys[number] === key ? number : this.numbers.get(key);
  }
}

/**
 * Records by name. Everything is kept by position (the order records were added in) rather
 * than in maps keyed by record: a first sync indexes 60,000 people, and per-record maps were
 * a good part of its time.
 */
export class PersonIndex {
  /** Positions by name number: a number for a name only one record has (most), a list otherwise. */
  private readonly byName: (number | number[] | undefined)[] = [];
  private readonly records: SyncRecord[] = [];
  private readonly identities: PersonIdentity[] = [];

  constructor(
    records: Iterable<SyncRecord>,
    private readonly fields: IdentityFields,
    /** Shared with the other system's index of the same plan. */
    private readonly names: NameNumbers = new NameNumbers(),
  ) {
    if (Array.isArray(records)) {
      // By index: a loop run once per plan over 30,000 records is not optimised before it
      // ends, and an iterator there makes an object per record.
      const list = records as readonly SyncRecord[];
      for (let i = 0; i < list.length; i++) this.add(list[i] as SyncRecord);
    } else {
      for (const record of records) this.add(record);
    }
  }

  add(record: SyncRecord): void {
    const position = this.records.length;
    const identity = computeIdentity(record, this.fields, this.names);
    this.records.push(record);
    this.identities.push(identity);
    const name = identity.name;
    if (name < 0) return;
    while (this.byName.length <= name) this.byName.push(undefined);
    const found = this.byName[name];
    if (found === undefined) this.byName[name] = position;
    else if (typeof found === 'number') this.byName[name] = [found, position];
    else found.push(position);
  }

  /** The identity of the record added at `position`: the n-th of the records given, counting from 0. */
  identityAt(position: number): PersonIdentity {
    const identity = this.identities[position];
    if (!identity) throw new RangeError(`no record at position ${position}`);
    return identity;
  }

  /**
   * Every record with the same normalised first and last name, whatever its e-mail, birthday,
   * archive state or pair: the people a new record could duplicate.
   */
  sameName(identity: PersonIdentity): { readonly record: SyncRecord; readonly identity: PersonIdentity }[] {
    const found = this.named(identity);
    if (found === undefined) return [];
    const positions = typeof found === 'number' ? [found] : found;
    return positions.map((position) => ({ record: this.records[position] as SyncRecord, identity: this.identities[position] as PersonIdentity }));
  }

  find(identity: PersonIdentity, excluded?: Excluded): MatchResult {
    const found = this.named(identity);
    if (found === undefined) return NO_MATCH;
    if (typeof found === 'number') return this.only(identity, found, excluded);
    // The best candidate, and the others as good as it only when there are any.
    let best = -1;
    let ties: SyncRecord[] | null = null;
    let bestScore = -1;
    for (const position of found) {
      const candidate = this.records[position] as SyncRecord;
      if (excluded?.has(candidate.id, position)) continue;
      const s = score(identity, this.identities[position] as PersonIdentity);
      if (s === null) continue;
      if (s > bestScore) {
        best = position;
        ties = null;
        bestScore = s;
      } else if (s === bestScore) {
        (ties ??= [this.records[best] as SyncRecord]).push(candidate);
      }
    }
    if (best === -1) return NO_MATCH;
    if (ties) return { kind: 'duplicate', candidates: ties };
    return { kind: 'unique', record: this.records[best] as SyncRecord, identity: this.identities[best] as PersonIdentity, agreeing: bestScore, position: best };
  }

  private named(identity: PersonIdentity): number | number[] | undefined {
    const name = this.names.find(identity);
    return name === undefined ? undefined : this.byName[name];
  }

  private only(identity: PersonIdentity, position: number, excluded: Excluded | undefined): MatchResult {
    const candidate = this.records[position] as SyncRecord;
    if (excluded?.has(candidate.id, position)) return NO_MATCH;
    const candidateIdentity = this.identities[position] as PersonIdentity;
    const s = score(identity, candidateIdentity);
    return s === null ? NO_MATCH : { kind: 'unique', record: candidate, identity: candidateIdentity, agreeing: s, position };
  }
}

/** Whether two records could be the same person at all (used to trust a stored partner id). */
export function compatible(a: PersonIdentity, b: PersonIdentity): boolean {
  return a.key !== null && a.key === b.key && score(a, b) !== null;
}
