// Value mappings of enumerated property pairs: "apply all" (pair values with the same name) and
// how complete a mapping is. Pure functions; the property-pairs store and the mapping table use them.
import type { SystemId, ValueMapping, ValueMappingEntry } from '../../sync/model.ts';

export interface MappingOption {
  readonly id: string;
  /** As shown, e.g. "150: Mitglieder". */
  readonly name: string;
  /** Other names the value goes by (Optigem's gender codes: "male" is "männlich"). */
  readonly aliases?: readonly string[];
}

const BASE_VOWEL: Readonly<Record<string, string>> = { ä: 'a', ö: 'o', ü: 'u', ß: 'ss' };
// German plural and inflection endings, longest first: Mitglied/Mitglieder, Gast/Gäste, Freund/Freunde.
const ENDINGS = ['en', 'er', 'e', 'n', 's'];

/**
 * The form in which two value names count as "the same": without an Optigem number prefix
 * ("150: "), case, umlauts (Gäste = Gaeste = Gaste) and a German plural ending.
 */
export function nameKey(name: string): string {
  let key = name
    .normalize('NFC')
    .replace(/^\s*\d+\s*:\s*/, '')
    .toLowerCase()
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u')
    .replace(/[äöüß]/g, (ch) => BASE_VOWEL[ch] ?? ch)
    .replace(/[^a-z0-9]/g, '');
  for (const ending of ENDINGS) {
    if (key.length - ending.length >= 3 && key.endsWith(ending)) {
      key = key.slice(0, -ending.length);
      break;
    }
  }
  return key;
}

function keysOf(option: MappingOption): Set<string> {
  return new Set([option.name, ...(option.aliases ?? [])].map(nameKey).filter((key) => key !== ''));
}

/**
 * "Alle zuordnen": every ChurchTools value without an entry is paired with the one Optigem value
 * of the same name that has no entry yet. Existing entries stay; ambiguous names are left to the admin.
 */
export function applyAll(mapping: ValueMapping, churchtools: readonly MappingOption[], optigem: readonly MappingOption[]): ValueMapping {
  const mappedCt = new Set(mapping.entries.map((entry) => entry.churchtools));
  const mappedOg = new Set(mapping.entries.map((entry) => entry.optigem));
  const added: ValueMappingEntry[] = [];
  for (const ct of churchtools) {
    if (mappedCt.has(ct.id)) continue;
    const ctKeys = keysOf(ct);
    const candidates = optigem.filter((og) => !mappedOg.has(og.id) && [...keysOf(og)].some((key) => ctKeys.has(key)));
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (!only) continue;
    added.push({ churchtools: ct.id, optigem: only.id });
    mappedCt.add(ct.id);
    mappedOg.add(only.id);
  }
  return added.length === 0 ? mapping : { ...mapping, entries: [...mapping.entries, ...added] };
}

export interface MissingValue {
  readonly system: SystemId;
  readonly id: string;
  readonly name: string;
}

export interface Completeness {
  /** Values that need an entry: every value of a single-valued side. */
  readonly total: number;
  readonly mapped: number;
  readonly missing: readonly MissingValue[];
  /** Values of a multi-valued side without an entry: the pair leaves them alone. */
  readonly unmanaged: readonly MissingValue[];
  /** Missing values with the fallback "block job": no job using the pair can run. */
  readonly blocking: boolean;
}

export function completeness(
  mapping: ValueMapping,
  options: Readonly<Record<SystemId, readonly MappingOption[]>>,
  multi: Readonly<Record<SystemId, boolean>>,
): Completeness {
  const missing: MissingValue[] = [];
  const unmanaged: MissingValue[] = [];
  let total = 0;
  let mapped = 0;
  for (const system of ['churchtools', 'optigem'] as const) {
    const used = new Set(mapping.entries.map((entry) => entry[system]));
    for (const option of options[system]) {
      const has = used.has(option.id);
      if (multi[system]) {
        if (!has) unmanaged.push({ system, id: option.id, name: option.name });
        continue;
      }
      total++;
      if (has) mapped++;
      else missing.push({ system, id: option.id, name: option.name });
    }
  }
  return { total, mapped, missing, unmanaged, blocking: missing.length > 0 && mapping.fallback.kind === 'block' };
}

/** Sets (or, with `optigem` null, removes) the entry of one ChurchTools value; one entry per value. */
export function setEntry(mapping: ValueMapping, churchtools: string, optigem: string | null): ValueMapping {
  const entries = mapping.entries.filter((entry) => entry.churchtools !== churchtools);
  if (optigem !== null) entries.push({ churchtools, optigem });
  return { ...mapping, entries };
}
