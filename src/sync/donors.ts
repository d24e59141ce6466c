/**
 * Donors of bookings are people: a booking's donor is mapped through the person pairs of the
 * same connection, not through a configured value list. ChurchTools writes a couple's donation
 * as `donatorId` + `donatorSpouseId` (value "A,B"); Optigem keeps one couple record
 * ("Max und Erika Muster"), paired with both spouses as a couple pair (reference optigem.md
 * §3.2) or, from before couple pairs, with one of them.
 *
 * A couple record's donation is written with `donatorId` = the spouse with the lower ChurchTools
 * person id and `donatorSpouseId` = the other: a rule that needs nothing but the two ids, so it
 * never changes while both exist (the salutation may be corrected, the sexes may be unknown).
 */
import type { Pair, PropertyPair, ValueMapping, ValueMappingEntry } from './model.ts';

export interface Households {
  /** ChurchTools person id → the spouse's person id (both directions). */
  readonly spouses: Readonly<Record<string, string>>;
  /** Optigem Personen-Nr of couple records. */
  readonly couples: readonly string[];
}

/**
 * The donor value mapping: per person pair (ChurchTools A ↔ Optigem N), the ChurchTools donor
 * values that mean N. The first entry for N is what an import writes: "A,B" for a couple record
 * whose ChurchTools person has a spouse B, else "A". A spouse who has a pair of their own keeps
 * it: B alone never means N then.
 */
export function donorMapping(personPairs: readonly Pair[], households: Households): ValueMapping {
  const live = personPairs.filter((pair) => pair.status === 'synced' || pair.status === 'conflict');
  const paired = new Set(live.map((pair) => pair.ct));
  const couples = new Set(households.couples);
  const entries: ValueMappingEntry[] = [];
  for (const { ct: a, og: n, sp } of live) {
    if (sp !== undefined) {
      // Each half of a couple pair names the other: the couple is written once, from its lower id.
      if (compareIds(a, sp) > 0 && paired.has(sp)) continue;
      const [lo, hi] = compareIds(a, sp) < 0 ? [a, sp] : [sp, a];
      for (const churchtools of [`${lo},${hi}`, `${hi},${lo}`, lo, hi]) entries.push({ churchtools, optigem: n });
      continue;
    }
    const b = households.spouses[a];
    const spouseFree = b !== undefined && !paired.has(b);
    const add = (churchtools: string) => entries.push({ churchtools, optigem: n });
    if (b !== undefined && couples.has(n)) {
      add(`${a},${b}`);
      add(a);
    } else {
      add(a);
      if (b !== undefined) add(`${a},${b}`);
    }
    if (b !== undefined && spouseFree) {
      add(`${b},${a}`);
      if (couples.has(n)) add(b);
    }
  }
  // An unlinked donor is a pre-flight problem reported per booking; the mapping itself skips.
  return { entries, fallback: { kind: 'skip' }, manyToOne: true };
}

/** Numeric person ids by value ("9" before "10"), others as text. */
function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The connection's property pairs with every donor pair's mapping derived from the person pairs. */
export function withDonorMapping(propertyPairs: readonly PropertyPair[], mapping: ValueMapping): PropertyPair[] {
  return propertyPairs.map((pair) => (pair.role === 'donor' ? { ...pair, mapping } : pair));
}
