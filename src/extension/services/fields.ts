// The person properties the UI offers on each side, which of them hold enumerated values (and
// where those values come from), the condition fields, and the default property pairs.
import type { PropertyPair, SystemId, ValueMapping } from '../../sync/model.ts';
import { PROPERTY_PAIR_KEY_PATTERN } from '../../sync/fingerprint.ts';

/** Where the values of an enumerated field come from. */
export type OptionSource =
  | 'statuses'
  | 'sexes'
  | 'familyStatuses'
  | 'campuses'
  | 'departments'
  | 'tags'
  | 'groups'
  | 'categories'
  | 'genders';

export interface FieldInfo {
  /** The property name as the engine sees it (ChurchTools field name, Optigem column name). */
  readonly name: string;
  readonly options?: OptionSource;
  /** Holds several values (Optigem categories, ChurchTools departments). */
  readonly multi?: boolean;
}

/** ChurchTools person fields for property pairs; labels come from i18n `fields.churchtools.*`. */
export const CHURCHTOOLS_PERSON_FIELDS: readonly FieldInfo[] = [
  { name: 'firstName' },
  { name: 'lastName' },
  { name: 'nickname' },
  { name: 'birthName' },
  { name: 'title' },
  { name: 'email' },
  { name: 'birthday' },
  { name: 'street' },
  { name: 'addressAddition' },
  { name: 'zip' },
  { name: 'city' },
  { name: 'country' },
  { name: 'phonePrivate' },
  { name: 'phoneWork' },
  { name: 'mobile' },
  { name: 'fax' },
  { name: 'statusId', options: 'statuses' },
  { name: 'sexId', options: 'sexes' },
  { name: 'familyStatusId', options: 'familyStatuses' },
  { name: 'campusId', options: 'campuses' },
  { name: 'departmentIds', options: 'departments', multi: true },
  { name: 'dateOfEntry' },
  { name: 'dateOfResign' },
];

/** Optigem person columns (the bridge's names, which are Optigem's own). */
export const OPTIGEM_PERSON_FIELDS: readonly FieldInfo[] = [
  { name: 'Anrede' },
  { name: 'Titel' },
  { name: 'Vorname' },
  { name: 'Nachname' },
  { name: 'Briefanrede' },
  { name: 'Straße' },
  { name: 'Zusatzort' },
  { name: 'PLZ' },
  { name: 'Ort' },
  { name: 'Land' },
  { name: 'Telefon abends' },
  { name: 'Telefon mobil' },
  { name: 'Telefax' },
  { name: 'EMail' },
  { name: 'Geburtsdatum' },
  { name: 'Beginn Mitgliedschaft' },
  { name: 'Ende Mitgliedschaft' },
  { name: 'Geschlecht', options: 'genders' },
  { name: 'Kategorien', options: 'categories', multi: true },
];

/** Fields a job's conditions can test, per system. */
export const CONDITION_FIELDS: Readonly<Record<SystemId, readonly FieldInfo[]>> = {
  churchtools: [
    { name: 'statusId', options: 'statuses' },
    { name: 'familyStatusId', options: 'familyStatuses' },
    { name: 'sexId', options: 'sexes' },
    { name: 'campusId', options: 'campuses' },
    { name: 'departmentIds', options: 'departments', multi: true },
    { name: 'tags', options: 'tags', multi: true },
    { name: 'groupIds', options: 'groups', multi: true },
  ],
  optigem: [
    { name: 'Kategorien', options: 'categories', multi: true },
    { name: 'Geschlecht', options: 'genders' },
  ],
};

export function fieldInfo(system: SystemId, name: string): FieldInfo | undefined {
  const lists = system === 'churchtools' ? [CHURCHTOOLS_PERSON_FIELDS, CONDITION_FIELDS.churchtools] : [OPTIGEM_PERSON_FIELDS, CONDITION_FIELDS.optigem];
  for (const list of lists) {
    const found = list.find((field) => field.name === name);
    if (found) return found;
  }
  return undefined;
}

/** Optigem's gender codes as the bridge sends them. */
export const OPTIGEM_GENDERS = ['male', 'female'] as const;

const skip = (): ValueMapping['fallback'] => ({ kind: 'skip' });

/**
 * The property pairs most parishes want, with short, stable keys (they name the field in every
 * pair's fingerprint, so they must never change once used).
 */
export const DEFAULT_PERSON_PAIRS: readonly PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
  { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
  { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
  { key: 'st', domain: 'person', churchtools: 'street', optigem: 'Straße' },
  { key: 'zip', domain: 'person', churchtools: 'zip', optigem: 'PLZ' },
  { key: 'city', domain: 'person', churchtools: 'city', optigem: 'Ort' },
  { key: 'mob', domain: 'person', churchtools: 'mobile', optigem: 'Telefon mobil' },
  {
    key: 'stat',
    domain: 'person',
    churchtools: 'statusId',
    optigem: 'Kategorien',
    mapping: { entries: [], fallback: { kind: 'block' } },
  },
  {
    key: 'sex',
    domain: 'person',
    churchtools: 'sexId',
    optigem: 'Geschlecht',
    // "divers" and "unbekannt" have no Optigem code: leave the field empty there.
    mapping: { entries: [], fallback: { kind: 'fixed', churchtools: null, optigem: null } },
  },
];

/** A fresh mapping for a new enumerated pair: the admin decides each value. */
export function emptyMapping(): ValueMapping {
  return { entries: [], fallback: skip() };
}

/**
 * A new key for a pair of `churchtoolsField`: its letters, shortened, made unique with a digit.
 * Keys are chosen once and stored; renaming a field later keeps the key.
 */
export function newPropertyPairKey(churchtoolsField: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = (churchtoolsField.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^[0-9]+/, '') || 'p').slice(0, 5);
  if (!used.has(base) && PROPERTY_PAIR_KEY_PATTERN.test(base)) return base;
  for (let i = 1; i < 100_000; i++) {
    const suffix = String(i);
    const key = base.slice(0, 6 - suffix.length) + suffix;
    if (!used.has(key) && PROPERTY_PAIR_KEY_PATTERN.test(key)) return key;
  }
  throw new Error('no free property-pair key');
}
