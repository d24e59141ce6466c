/**
 * Who is married to whom in ChurchTools, for couples' donations (ct-api §1.8): a booking of a
 * couple names the donator and the spouse, and Optigem often keeps the couple as one record.
 */
import { z } from 'zod';
import type { CtHttp } from '../http/ct-http.ts';
import { toPortError } from '../http/errors.ts';

const idLike = z.union([z.number(), z.string()]);

export const relationshipTypeSchema = z.looseObject({
  id: idLike,
  name: z.string().nullish(),
  nameTranslated: z.string().nullish(),
  degreeNameA: z.string().nullish(),
  degreeNameB: z.string().nullish(),
});
export type RelationshipType = z.infer<typeof relationshipTypeSchema>;

/** Where the relationship types come from: the person master data, read once per run (MasterDataService). */
export interface RelationshipTypeSource {
  /** `fresh`: read the master data again instead of reusing an earlier read. */
  relationshipTypes(options?: { readonly fresh?: boolean }): Promise<RelationshipType[]>;
}

const relationshipSchema = z.looseObject({
  personAId: idLike,
  personBId: idLike,
  relationshipType: z.looseObject({ id: idLike }).nullish(),
  /** Deprecated in the current spec (ct-api §1.8), still read for older installations. */
  relationshipTypeId: idLike.nullish(),
});

/**
 * [I] ChurchTools has no flag for "spouse": relationship types are admin-editable master data
 * (the default is "Ehepartner", id 2 in public code, which must not be relied on). A type counts
 * as spouse when its name or a degree name says so, in German or English.
 */
const SPOUSE_WORDS = /ehepartner|ehefrau|ehemann|ehegatt|gatte|gattin|spouse|husband|wife/i;

export function spouseTypeIds(types: readonly RelationshipType[]): Set<string> {
  return new Set(
    types
      .filter((t) => [t.name, t.nameTranslated, t.degreeNameA, t.degreeNameB].some((n) => typeof n === 'string' && SPOUSE_WORDS.test(n)))
      .map((t) => String(t.id)),
  );
}

/** The relationship type to write for spouses: the lowest id among the spouse types, or null. */
export function spouseTypeOf(types: readonly RelationshipType[]): string | null {
  const ids = [...spouseTypeIds(types)].sort((x, y) => Number(x) - Number(y) || (x < y ? -1 : 1));
  return ids[0] ?? null;
}

/**
 * Person id → spouse's person id, both directions. Empty when no relationship type means spouse.
 * The run's reference read: the master data is read fresh here, and the run's later uses of it
 * (the spouse type of a spouse link, a new person's department) reuse this read.
 */
export async function readSpouses(http: CtHttp, types: RelationshipTypeSource): Promise<Record<string, string>> {
  try {
    const spouseTypes = spouseTypeIds(await types.relationshipTypes({ fresh: true }));
    if (spouseTypes.size === 0) return {};
    const relationships = await http.get('/persons/relationships', z.array(relationshipSchema));
    const spouses: Record<string, string> = {};
    for (const r of relationships) {
      const type = r.relationshipType?.id ?? r.relationshipTypeId;
      if (type === null || type === undefined || !spouseTypes.has(String(type))) continue;
      spouses[String(r.personAId)] = String(r.personBId);
      spouses[String(r.personBId)] = String(r.personAId);
    }
    return spouses;
  } catch (error) {
    throw toPortError(error, { operation: 'read spouse relationships' });
  }
}
