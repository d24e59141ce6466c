/**
 * Moving a value across a property pair, in either direction, through its value mapping.
 *
 * A multi-valued target (Optigem categories) is only partly owned by a pair: the pair manages
 * the values its mapping names ("150: Mitglieder", "160: Freunde") and leaves every other
 * value alone, so syncing a status never removes a "Newsletter" category.
 */
import { canonicalValue, isEmptyValue, valueList } from './canonical.ts';
import type { FieldValue, PropertyPair, SystemId, ValueMapping } from './model.ts';

export type Translation =
  | { readonly kind: 'value'; readonly value: FieldValue }
  /** Fallback "skip field": the target keeps its value. */
  | { readonly kind: 'skip'; readonly reason: 'unmapped' | 'ambiguous'; readonly sourceValue: string }
  /** Fallback "block job": nothing may be written until the mapping is completed. */
  | { readonly kind: 'block'; readonly reason: 'unmapped' | 'ambiguous'; readonly sourceValue: string };

const UNMAPPED = '\u0000unmapped:';
const NOTHING: readonly string[] = [];
const AMBIGUOUS = '\u0000ambiguous:';

interface Lookup {
  readonly known: Readonly<Record<SystemId, ReadonlySet<string>>>;
  readonly to: Readonly<Record<SystemId, ReadonlyMap<string, readonly string[]>>>;
}

/** Mappings are consulted for every field of every record: index each one once. */
const lookups = new WeakMap<ValueMapping, Lookup>();

function lookup(mapping: ValueMapping): Lookup {
  let found = lookups.get(mapping);
  if (!found) {
    const index = (from: SystemId, to: SystemId) => {
      const map = new Map<string, string[]>();
      for (const entry of mapping.entries) {
        const targets = map.get(entry[from]) ?? [];
        if (!targets.includes(entry[to])) targets.push(entry[to]);
        map.set(entry[from], targets);
      }
      return map;
    };
    found = {
      known: {
        churchtools: new Set(mapping.entries.map((entry) => entry.churchtools)),
        optigem: new Set(mapping.entries.map((entry) => entry.optigem)),
      },
      to: { churchtools: index('churchtools', 'optigem'), optigem: index('optigem', 'churchtools') },
    };
    lookups.set(mapping, found);
  }
  return found;
}

function known(mapping: ValueMapping, system: SystemId): ReadonlySet<string> {
  return lookup(mapping).known[system];
}

/**
 * The values of a list on `system` that the mapping owns: those its entries name, and the
 * fixed fallback value, which the mapping itself put there and so takes back when a mapped
 * value replaces it (category 199 for "no status category" gives way to 150). Everything
 * else in the list (a "Newsletter" category) belongs to someone else and stays.
 */
function managed(mapping: ValueMapping, system: SystemId): ReadonlySet<string> {
  const names = known(mapping, system);
  const fixed = mapping.fallback.kind === 'fixed' ? mapping.fallback[system] : null;
  return fixed === null || names.has(fixed) ? names : new Set([...names, fixed]);
}

function mapOne(mapping: ValueMapping, from: SystemId, value: string): readonly string[] {
  return lookup(mapping).to[from].get(value) ?? [];
}

/**
 * The values a mapped field means, expressed in the other system's values. Multi-valued
 * fields contribute only their managed values; a single value outside the mapping is
 * `unmapped`, several managed values that mean different things are `ambiguous`.
 */
function meaning(
  mapping: ValueMapping,
  from: SystemId,
  value: FieldValue | undefined,
): { readonly values: string[] } | { readonly problem: 'unmapped' | 'ambiguous'; readonly raw: string } {
  if (isEmptyValue(value)) return { values: [] };
  if (Array.isArray(value)) {
    const to = lookup(mapping).to[from];
    const mapped: string[] = [];
    for (const item of value as readonly string[]) {
      const targets = to.get(String(item).trim());
      if (targets) for (const target of targets) if (!mapped.includes(target)) mapped.push(target);
    }
    return { values: mapped };
  }
  const raw = canonicalValue(value);
  const mapped = mapOne(mapping, from, raw);
  if (mapped.length === 0) return { problem: 'unmapped', raw };
  // Many-to-one: an Optigem value's first ChurchTools entry is the one to write.
  if (mapping.manyToOne && from === 'optigem') return { values: [mapped[0] as string] };
  if (mapped.length > 1) return { problem: 'ambiguous', raw };
  return { values: [...mapped] };
}

/**
 * The canonical form of a field's value in ChurchTools' terms, so that both sides of a pair
 * can be compared and fingerprinted with one yardstick.
 */
export function comparable(pair: PropertyPair, system: SystemId, value: FieldValue | undefined): string {
  const mapping = pair.mapping;
  if (!mapping) return canonicalValue(value);
  if (typeof value !== 'string' && typeof value !== 'number') return mappedComparable(mapping, pair, system, value);
  // A mapped field holds few distinct values (accounts, donors, statuses), and going through
  // the mapping is the dear part: each text or number is looked up once per mapping and side
  // (a first sync of 150,000 bookings compares 600,000 donors, of a few thousand people).
  const known = comparables(mapping)[system];
  let text = known.get(value);
  if (text === undefined) {
    text = mappedComparable(mapping, pair, system, value);
    known.set(value, text);
  }
  return text;
}

const comparableForms = new WeakMap<ValueMapping, Record<SystemId, Map<string | number, string>>>();

function comparables(mapping: ValueMapping): Record<SystemId, Map<string | number, string>> {
  let found = comparableForms.get(mapping);
  if (!found) {
    found = { churchtools: new Map(), optigem: new Map() };
    comparableForms.set(mapping, found);
  }
  return found;
}

function mappedComparable(mapping: ValueMapping, pair: PropertyPair, system: SystemId, value: FieldValue | undefined): string {
  if (system === 'churchtools') {
    if (mapping.manyToOne && !isEmptyValue(value)) {
      // Compare through the Optigem meaning: "A" and "A,B" both mean the couple record.
      const meant = meaning(mapping, 'churchtools', value);
      if ('problem' in meant) return (meant.problem === 'unmapped' ? UNMAPPED : AMBIGUOUS) + meant.raw;
      return comparable(pair, 'optigem', meant.values[0] ?? null);
    }
    if (Array.isArray(value)) {
      const managed = known(mapping, 'churchtools');
      return canonicalValue(valueList(value).filter((v) => managed.has(v)));
    }
    return canonicalValue(value);
  }
  const single = singleMeaning(mapping, value);
  if (single !== undefined) return single;
  const meant = meaning(mapping, 'optigem', value);
  if ('problem' in meant) return (meant.problem === 'unmapped' ? UNMAPPED : AMBIGUOUS) + meant.raw;
  // Several meanings: a set, equal to a ChurchTools list that means the same (departments
  // [1, 2] ↔ categories [150, 160]); a single-valued ChurchTools field never equals it.
  return canonicalValue(meant.values);
}

/**
 * The comparable form of an Optigem value that means at most one ChurchTools value, the usual
 * case; undefined for anything else (a problem, several meanings), which the general path
 * handles. Allocates nothing: it runs for every mapped field of every Optigem record.
 */
function singleMeaning(mapping: ValueMapping, value: FieldValue | undefined): string | undefined {
  if (isEmptyValue(value)) return '';
  const to = lookup(mapping).to.optigem;
  if (Array.isArray(value)) {
    let only: string | undefined;
    for (const item of value as readonly string[]) {
      for (const target of to.get(String(item).trim()) ?? NOTHING) {
        if (only === undefined) only = target;
        else if (target !== only) return undefined;
      }
    }
    // What canonicalValue makes of a list of at most one value.
    return only === undefined ? '' : only.trim();
  }
  const targets = to.get(canonicalValue(value));
  if (!targets || (targets.length > 1 && !mapping.manyToOne)) return undefined;
  return (targets[0] as string).trim();
}

/** Replaces the managed part of a multi-valued target and keeps the rest. */
function mergeManaged(current: FieldValue | undefined, managed: ReadonlySet<string>, values: readonly string[]): string[] {
  const kept = valueList(current).filter((v) => !managed.has(v));
  return [...new Set([...kept, ...values])].sort();
}

/**
 * The value to write into `to` so that it carries the meaning of `sourceValue`. `targetCurrent`
 * decides whether the target is multi-valued (an array) and supplies the values to keep.
 */
export function translate(
  pair: PropertyPair,
  from: SystemId,
  sourceValue: FieldValue | undefined,
  targetCurrent: FieldValue | undefined,
): Translation {
  const mapping = pair.mapping;
  if (!mapping) return { kind: 'value', value: sourceValue ?? null };
  // Text into a single-valued target depends on nothing but the text: each text is translated
  // once per mapping (a first sync of 150,000 bookings translates the same few accounts).
  if (typeof sourceValue === 'string' && !Array.isArray(targetCurrent)) {
    const known = textTranslations(mapping)[from];
    let translation = known.get(sourceValue);
    if (!translation) {
      translation = translateValue(mapping, from, sourceValue, targetCurrent);
      known.set(sourceValue, translation);
    }
    return translation;
  }
  return translateValue(mapping, from, sourceValue, targetCurrent);
}

const translations = new WeakMap<ValueMapping, Record<SystemId, Map<string, Translation>>>();

function textTranslations(mapping: ValueMapping): Record<SystemId, Map<string, Translation>> {
  let found = translations.get(mapping);
  if (!found) {
    found = { churchtools: new Map(), optigem: new Map() };
    translations.set(mapping, found);
  }
  return found;
}

function translateValue(mapping: ValueMapping, from: SystemId, sourceValue: FieldValue | undefined, targetCurrent: FieldValue | undefined): Translation {
  const to: SystemId = from === 'churchtools' ? 'optigem' : 'churchtools';
  const targetIsList = Array.isArray(targetCurrent);
  const meant = meaning(mapping, from, sourceValue);

  // A list with none of the mapped values (an Optigem person without a status category) says
  // nothing about a single-valued target such as ChurchTools' status, which cannot be empty:
  // that is a case for the fallback, not an empty value.
  const saysNothing = !('problem' in meant) && meant.values.length === 0 && Array.isArray(sourceValue) && !targetIsList;
  let values: string[];
  if (saysNothing || 'problem' in meant || (!targetIsList && meant.values.length > 1)) {
    const reason = 'problem' in meant ? meant.problem : saysNothing ? 'unmapped' : 'ambiguous';
    const raw = 'problem' in meant ? meant.raw : valueList(sourceValue).join(', ');
    const fallback = mapping.fallback;
    if (fallback.kind === 'block') return { kind: 'block', reason, sourceValue: raw };
    if (fallback.kind === 'skip') return { kind: 'skip', reason, sourceValue: raw };
    const fixed = fallback[to];
    values = fixed === null ? [] : [fixed];
  } else {
    values = meant.values;
  }

  if (targetIsList) return { kind: 'value', value: mergeManaged(targetCurrent, managed(mapping, to), values) };
  return { kind: 'value', value: values[0] ?? null };
}
