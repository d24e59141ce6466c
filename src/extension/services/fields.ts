// The properties the UI offers on each side, per domain (persons, bookings), which of them hold
// enumerated values (and where those values come from), the condition fields, and the default
// property pairs.
import type { Domain, PropertyPair, SystemId, ValueMapping } from '../../sync/model.ts';
import { PROPERTY_PAIR_KEY_PATTERN } from '../../sync/fingerprint.ts';
import { CT_TRANSACTION_FIELDS, DEFAULT_TRANSACTION_PROPERTY_PAIRS, OG_BOOKING_FIELDS } from '../../sync/transaction-fields.ts';

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
  | 'genders'
  /** Accounts of the ChurchTools accounting period of the job's fiscal year. */
  | 'ctAccounts'
  /** Cost centres of that period. */
  | 'ctCostCenters'
  /** Optigem accounts (Hauptkonten) of the job's fiscal year, from the bridge. */
  | 'ogAccounts'
  /** Optigem projects of that year, from the bridge. */
  | 'ogProjects'
  /** Optigem's fiscal years, from the bridge's meta. */
  | 'fiscalYears';

export interface FieldInfo {
  /** The property name as the engine sees it (ChurchTools field name, Optigem column name). */
  readonly name: string;
  readonly options?: OptionSource;
  /** Holds several values (Optigem categories, ChurchTools departments). */
  readonly multi?: boolean;
  /**
   * How a condition row on the field is edited: values from a list (the default), yes/no
   * (values `['true']` or `['false']`), or a date range (`range`, no values).
   */
  readonly condition?: 'values' | 'yesNo' | 'dateRange';
  /**
   * Its values are numbers people know (accounts, projects, years): when no list can be loaded
   * they are typed by hand instead of chosen.
   */
  readonly typed?: boolean;
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

/** ChurchTools booking properties for property pairs (transaction-fields.ts; no conditions-only ones). */
export const CHURCHTOOLS_TRANSACTION_FIELDS: readonly FieldInfo[] = [
  { name: CT_TRANSACTION_FIELDS.date },
  { name: CT_TRANSACTION_FIELDS.amount },
  { name: CT_TRANSACTION_FIELDS.documentNumber },
  { name: CT_TRANSACTION_FIELDS.note },
  { name: CT_TRANSACTION_FIELDS.account },
  { name: CT_TRANSACTION_FIELDS.contraAccount },
  { name: CT_TRANSACTION_FIELDS.costCenter },
  { name: CT_TRANSACTION_FIELDS.donor },
  { name: CT_TRANSACTION_FIELDS.waiver },
];

/** Optigem booking properties as the bridge names them (labels from i18n `fields.optigem.*`). */
export const OPTIGEM_BOOKING_FIELDS: readonly FieldInfo[] = [
  { name: OG_BOOKING_FIELDS.date },
  { name: OG_BOOKING_FIELDS.amount },
  { name: OG_BOOKING_FIELDS.documentNumber },
  { name: OG_BOOKING_FIELDS.text },
  { name: OG_BOOKING_FIELDS.debitAccount },
  { name: OG_BOOKING_FIELDS.creditAccount },
  { name: OG_BOOKING_FIELDS.project },
  { name: OG_BOOKING_FIELDS.donor },
  { name: OG_BOOKING_FIELDS.waiver },
];

/** What property pairs can join, per domain and system. */
export const PROPERTY_FIELDS: Readonly<Record<Domain, Readonly<Record<SystemId, readonly FieldInfo[]>>>> = {
  person: { churchtools: CHURCHTOOLS_PERSON_FIELDS, optigem: OPTIGEM_PERSON_FIELDS },
  transaction: { churchtools: CHURCHTOOLS_TRANSACTION_FIELDS, optigem: OPTIGEM_BOOKING_FIELDS },
};

/** The booking fields that hold person ids: a pair of them has the role `donor`. */
export const DONOR_FIELDS: Readonly<Record<SystemId, string>> = { churchtools: CT_TRANSACTION_FIELDS.donor, optigem: OG_BOOKING_FIELDS.donor };

/**
 * Where the names of a booking field's values come from when they are shown ("8000 Spenden"):
 * the same lists the job editor offers, but these fields are not enumerated (no value mapping).
 */
export const VALUE_NAME_SOURCES: Readonly<Record<SystemId, Readonly<Record<string, OptionSource>>>> = {
  churchtools: { [CT_TRANSACTION_FIELDS.account]: 'ctAccounts', [CT_TRANSACTION_FIELDS.contraAccount]: 'ctAccounts', [CT_TRANSACTION_FIELDS.costCenter]: 'ctCostCenters' },
  optigem: { [OG_BOOKING_FIELDS.debitAccount]: 'ogAccounts', [OG_BOOKING_FIELDS.creditAccount]: 'ogAccounts', [OG_BOOKING_FIELDS.project]: 'ogProjects' },
};

/**
 * Fields a job's conditions can test, per domain and system. Bookings follow the spec: ChurchTools
 * account, cost centre, donation yes/no, date range, donor status; Optigem account, project,
 * fiscal year, donation yes/no.
 */
export const CONDITION_FIELDS: Readonly<Record<Domain, Readonly<Record<SystemId, readonly FieldInfo[]>>>> = {
  person: {
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
  },
  transaction: {
    churchtools: [
      { name: CT_TRANSACTION_FIELDS.accounts, options: 'ctAccounts', multi: true, typed: true },
      { name: CT_TRANSACTION_FIELDS.costCenter, options: 'ctCostCenters', typed: true },
      { name: CT_TRANSACTION_FIELDS.isDonation, condition: 'yesNo' },
      { name: CT_TRANSACTION_FIELDS.date, condition: 'dateRange' },
      { name: CT_TRANSACTION_FIELDS.donorStatus, options: 'statuses' },
    ],
    optigem: [
      { name: OG_BOOKING_FIELDS.accounts, options: 'ogAccounts', multi: true, typed: true },
      { name: OG_BOOKING_FIELDS.project, options: 'ogProjects', typed: true },
      { name: OG_BOOKING_FIELDS.fiscalYear, options: 'fiscalYears', typed: true },
      { name: OG_BOOKING_FIELDS.isDonation, condition: 'yesNo' },
    ],
  },
};

const DOMAINS: readonly Domain[] = ['person', 'transaction'];

/** A field property pairs can join; its `options` make a pair enumerated (with a value mapping). */
export function propertyFieldInfo(system: SystemId, name: string, domain: Domain): FieldInfo | undefined {
  return PROPERTY_FIELDS[domain][system].find((field) => field.name === name);
}

/** A field conditions can test; says how a condition row edits it. */
export function conditionFieldInfo(system: SystemId, name: string, domain: Domain): FieldInfo | undefined {
  return CONDITION_FIELDS[domain][system].find((field) => field.name === name);
}

/** Any field of a system in any domain, e.g. for naming a logged value (names do not repeat across domains). */
export function fieldInfo(system: SystemId, name: string): FieldInfo | undefined {
  for (const d of DOMAINS) {
    const found = propertyFieldInfo(system, name, d) ?? conditionFieldInfo(system, name, d);
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

/** The usual pairs per domain, offered with one click on the property pairs page. */
export const DEFAULT_PAIRS: Readonly<Record<Domain, readonly PropertyPair[]>> = {
  person: DEFAULT_PERSON_PAIRS,
  transaction: DEFAULT_TRANSACTION_PROPERTY_PAIRS,
};

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
