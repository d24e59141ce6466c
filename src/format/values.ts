/**
 * The one place that turns stored values into what people read: field names into the labels of
 * Eigenschaften-Paare, cents into money, ISO days into dates, booleans into ja/nein, ids into the
 * names a caller's lookup knows. Plain TypeScript without Vue, so the views, the CSV export, the
 * runner's messages and the CLI all say the same thing the same way.
 */
import { vocabularyDe } from '../messages/vocabulary-de.ts';
import { vocabularyEn } from '../messages/vocabulary-en.ts';
import type { FieldChange, FieldValue, IdentityFields, LogEntry, Message, PropertyPair, SyncRecord, SystemId } from '../sync/model.ts';
import { PERSON_GENDER_FIELD } from '../optigem/fields.ts';
import { CT_TRANSACTION_FIELDS, OG_BOOKING_FIELDS } from '../sync/transaction-fields.ts';
import { bookingLabelFor } from './booking-label.ts';

export type FormatLocale = 'de' | 'en';

/** Names for ids of enumerated fields (status, department, campus, account …), when known. */
export type OptionLookup = (system: SystemId, field: string, id: string) => string | undefined;

/** A person's name parts, as a record read by the caller holds them. */
export interface PersonNameParts {
  readonly lastName?: string | null;
  readonly firstName?: string | null;
}

/**
 * Persons by id on one system (ChurchTools person id, Optigem Personen-Nr), from what the caller
 * has already read: the pairs' records, the run's reads. Never a request per value.
 */
export type PersonLookup = (system: SystemId, id: string) => PersonNameParts | undefined;

const INTL: Readonly<Record<FormatLocale, string>> = { de: 'de-DE', en: 'en-GB' };

type LabelTable = Readonly<Record<string, string>>;
const FIELD_LABELS: Readonly<Record<FormatLocale, Readonly<Record<SystemId, LabelTable>>>> = {
  de: { churchtools: vocabularyDe.fields.churchtools, optigem: vocabularyDe.fields.optigem },
  en: { churchtools: vocabularyEn.fields.churchtools, optigem: vocabularyEn.fields.optigem },
};

/** Optigem's gender codes (`male`, `female`) in the reader's language, without a lookup. */
const OPTIGEM_GENDER = PERSON_GENDER_FIELD.gender;
const GENDERS: Readonly<Record<FormatLocale, Readonly<Record<string, string>>>> = { de: vocabularyDe.fields.genders, en: vocabularyEn.fields.genders };

const MONEY_FIELDS: Readonly<Record<SystemId, ReadonlySet<string>>> = {
  churchtools: new Set([CT_TRANSACTION_FIELDS.amount]),
  optigem: new Set([OG_BOOKING_FIELDS.amount]),
};

/** Fields whose values are person ids: a booking's donor (ChurchTools `A` or `A,B` for a couple). */
const PERSON_FIELDS: Readonly<Record<SystemId, ReadonlySet<string>>> = {
  churchtools: new Set([CT_TRANSACTION_FIELDS.donor]),
  optigem: new Set([OG_BOOKING_FIELDS.donor]),
};

export function isPersonField(system: SystemId, field: string): boolean {
  return PERSON_FIELDS[system].has(field);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function localeOf(locale: string): FormatLocale {
  return locale.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** A field as Eigenschaften-Paare names it; Optigem's person columns are their own names. */
export function fieldLabel(system: SystemId, field: string, locale: string): string {
  return FIELD_LABELS[localeOf(locale)][system][field] ?? field;
}

/** A field of either system, when the caller does not know the side (messages name CT fields first). */
export function anyFieldLabel(field: string, locale: string): string {
  const tables = FIELD_LABELS[localeOf(locale)];
  return tables.churchtools[field] ?? tables.optigem[field] ?? field;
}

/** "Vorname ↔ Vorname": a property pair as its row in Eigenschaften-Paare reads. */
export function pairLabel(pair: { readonly churchtools: string; readonly optigem: string }, locale: string): string {
  return `${fieldLabel('churchtools', pair.churchtools, locale)} ↔ ${fieldLabel('optigem', pair.optigem, locale)}`;
}

/** The field's label on `system` when that side has one, else on whichever side knows it. */
function sideLabel(field: string, locale: string, system?: SystemId): string {
  return (system ? FIELD_LABELS[localeOf(locale)][system][field] : undefined) ?? anyFieldLabel(field, locale);
}

/** "firstName, email" (as the engine joins field names) → "Vorname, E-Mail". */
export function fieldListLabel(fields: string, locale: string, system?: SystemId): string {
  return fields
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '')
    .map((field) => sideLabel(field, locale, system))
    .join(', ');
}

export function formatMoney(cents: number, locale: string): string {
  return new Intl.NumberFormat(INTL[localeOf(locale)], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function formatBoolean(value: boolean, locale: string): string {
  return localeOf(locale) === 'de' ? (value ? 'ja' : 'nein') : value ? 'yes' : 'no';
}

/** A day (`2026-06-30`) as people write it: 30.06.2026, or 30 Jun 2026 in English. */
export function formatDay(day: string, locale: string): string {
  if (!DAY.test(day)) return day;
  return new Intl.DateTimeFormat(INTL[localeOf(locale)], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(INTL[localeOf(locale)], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Seconds since the epoch (pairs store their last sync so) as a date and time. */
export function formatEpochSeconds(seconds: number | null | undefined, locale: string): string {
  if (!seconds) return '–';
  return formatDateTime(new Date(seconds * 1000).toISOString(), locale);
}

/** "Müller, Anna (#1036)": a person by name with the id support asks for. */
export function personName(person: { readonly lastName?: string | null; readonly firstName?: string | null }, id?: string | number | null): string {
  const last = person.lastName?.trim() ?? '';
  const first = person.firstName?.trim() ?? '';
  const name = last && first ? `${last}, ${first}` : last || first;
  const suffix = id === undefined || id === null || id === '' ? '' : `#${id}`;
  return name && suffix ? `${name} (${suffix})` : name || suffix;
}

/** The records a caller has read, per system, with where each system keeps a person's name. */
export type ReadPersons = Partial<Record<SystemId, { readonly byId: ReadonlyMap<string, SyncRecord>; readonly identity: IdentityFields }>>;

/** Persons by id from records already read (the pair list's, a run's): no request of its own. */
export function personsFromRecords(read: ReadPersons): PersonLookup {
  return (system, id) => {
    const side = read[system];
    const record = side?.byId.get(id);
    if (!side || !record) return undefined;
    const text = (field: string): string | null => {
      const value = record.properties[field];
      return typeof value === 'string' ? value : null;
    };
    return { lastName: text(side.identity.lastName), firstName: text(side.identity.firstName) };
  };
}

/**
 * The person ids a report shows, per system: donors of blockers and the values of person fields
 * in the entries' changes (an entry about both sides holds ChurchTools' value old, Optigem's new).
 * A caller without the persons in memory reads exactly these, once, to name them.
 */
export function personIdsShown(entries: readonly Pick<LogEntry, 'system' | 'changes'>[], messages: readonly Message[] = []): Record<SystemId, Set<string>> {
  const ids: Record<SystemId, Set<string>> = { churchtools: new Set(), optigem: new Set() };
  const add = (system: SystemId, value: FieldValue | undefined | unknown) => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    for (const id of String(value).split(',')) if (id.trim() !== '') ids[system].add(id.trim());
  };
  for (const message of messages) {
    const system = message.args?.['system'];
    if ((system === 'churchtools' || system === 'optigem') && message.args?.['donor'] !== undefined) add(system, message.args['donor']);
  }
  for (const entry of entries) {
    for (const change of entry.changes) {
      const oldSide: SystemId = entry.system === 'optigem' ? 'optigem' : 'churchtools';
      const newSide: SystemId = entry.system === 'both' ? 'optigem' : oldSide;
      if (PERSON_FIELDS[oldSide].has(change.field)) add(oldSide, change.oldValue);
      if (PERSON_FIELDS[newSide].has(change.field)) add(newSide, change.newValue);
    }
  }
  return ids;
}

const UNKNOWN_PERSON: Readonly<Record<FormatLocale, string>> = { de: vocabularyDe.format.unknownPerson, en: vocabularyEn.format.unknownPerson };

/**
 * Person ids as people read them: "Bauer, Emma (#237)" when the lookup knows the person, else
 * "Person #237" (never a bare number). A couple's "237,238" names both spouses.
 */
export function personRef(system: SystemId, ids: string | number, locale: string, persons?: PersonLookup): string {
  return String(ids)
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .map((id) => {
      const found = persons?.(system, id);
      const named = found ? personName(found, id) : '';
      return named && named !== `#${id}` ? named : UNKNOWN_PERSON[localeOf(locale)].replace('{id}', id);
    })
    .join(' & ');
}

/** "8000 Spenden": an account, cost centre or project by number and name. */
export function numberedName(number: string | number, name?: string | null): string {
  return name ? `${number} ${name}` : String(number);
}

export function isEmptyDisplay(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

export interface ValueFormatOptions {
  readonly lookup?: OptionLookup;
  /** Names for person ids (a booking's donor); unknown ones read "Person #237". */
  readonly persons?: PersonLookup;
  /** Shown for an empty value; '–' unless the caller says otherwise. */
  readonly empty?: string;
}

/** One stored value of `field` on `system` as people read it. */
export function formatValue(system: SystemId, field: string, value: FieldValue | undefined, locale: string, options: ValueFormatOptions = {}): string {
  if (isEmptyDisplay(value)) return options.empty ?? '–';
  if (PERSON_FIELDS[system].has(field) && (typeof value === 'string' || typeof value === 'number')) return personRef(system, value, locale, options.persons);
  const one = (item: string | number | boolean): string => {
    if (typeof item === 'boolean') return formatBoolean(item, locale);
    const named = options.lookup?.(system, field, String(item)) ?? (system === 'optigem' && field === OPTIGEM_GENDER ? GENDERS[localeOf(locale)][String(item)] : undefined);
    if (named !== undefined && named !== String(item)) return named;
    if (MONEY_FIELDS[system].has(field)) {
      const cents = typeof item === 'number' ? item : Number(item);
      if (Number.isFinite(cents)) return formatMoney(cents, locale);
    }
    if (typeof item === 'string' && DAY.test(item)) return formatDay(item, locale);
    if (typeof item === 'string' && INSTANT.test(item)) return formatDateTime(item, locale);
    return String(item);
  };
  return Array.isArray(value) ? (value as readonly (string | number | boolean)[]).map(one).join(', ') : one(value as string | number | boolean);
}

export interface FormattedChange {
  readonly field: string;
  readonly old: string;
  readonly new: string;
}

/**
 * A change's field as the log keeps it. A couple split names each spouse's fields
 * "Max Muster: lastName" (sync/couple-planner.ts); the person and the plain field apart, so the
 * field can be shown by its label and its value formatted like any other.
 */
export function changeField(field: string): { readonly person: string | null; readonly field: string } {
  const at = field.lastIndexOf(': ');
  return at < 0 ? { person: null, field } : { person: field.slice(0, at), field: field.slice(at + 2) };
}

/** A logged field by its label: "Nachname", or "Max Muster: Nachname" for a couple split. */
export function loggedFieldLabel(system: SystemId, logged: string, locale: string): string {
  const { person, field } = changeField(logged);
  const label = fieldLabel(system, field, locale);
  return person ? `${person}: ${label}` : label;
}

/**
 * One change of a log entry as people read it: the field's label, old → new. An entry about
 * both sides (a conflict, a difference kept while linking) names ChurchTools' field and holds
 * ChurchTools' value old and Optigem's new, each named on its own side.
 */
export function formatChange(
  system: LogEntry['system'],
  change: FieldChange,
  locale: string,
  value: ValueFormatOptions | ((system: SystemId, field: string, value: FieldValue | undefined) => string) = {},
  propertyPairs: readonly Pick<PropertyPair, 'churchtools' | 'optigem'>[] = [],
): FormattedChange {
  const format = typeof value === 'function' ? value : (side: SystemId, field: string, v: FieldValue | undefined) => formatValue(side, field, v, locale, value);
  const side: SystemId = system === 'optigem' ? 'optigem' : 'churchtools';
  const label = loggedFieldLabel(side, change.field, locale);
  const { field } = changeField(change.field);
  if (system !== 'both') return { field: label, old: format(side, field, change.oldValue), new: format(side, field, change.newValue) };
  const optigemField = propertyPairs.find((pair) => pair.churchtools === field)?.optigem ?? field;
  return { field: label, old: format('churchtools', field, change.oldValue), new: format('optigem', optigemField, change.newValue) };
}

/**
 * Message arguments as people read them: `fields` (engine-joined field names) become labels,
 * `field` a label, any `…Cents` argument money under the name without the suffix, booleans ja/nein,
 * system ids their product names, `action` its name when the caller can name actions, `donor`
 * (a person id of the message's system) the person's name.
 */
export function formatArgs(
  args: Readonly<Record<string, unknown>> | undefined,
  locale: string,
  system?: SystemId,
  names: {
    readonly action?: (action: string) => string;
    readonly persons?: PersonLookup;
    /** Formats a field's value by its name (statuses, categories, persons); used when the message names its system. */
    readonly value?: (system: SystemId, field: string, value: FieldValue) => string;
  } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(args ?? {}) };
  const named = args?.['system'];
  const side = system ?? (named === 'churchtools' || named === 'optigem' ? named : undefined);
  // A value is of the system the message names (a skipped value comes from the source side).
  const valueSide = named === 'churchtools' || named === 'optigem' ? named : side;
  for (const [name, value] of Object.entries(args ?? {})) {
    if (name === 'fields' && typeof value === 'string') out[name] = fieldListLabel(value, locale, side);
    else if (name === 'field' && typeof value === 'string') out[name] = sideLabel(value, locale, side);
    else if (name.endsWith('Cents') && typeof value === 'number') out[name.slice(0, -'Cents'.length)] = formatMoney(value, locale);
    else if (typeof value === 'boolean') out[name] = formatBoolean(value, locale);
    else if (name === 'system' && (value === 'churchtools' || value === 'optigem')) out[name] = value === 'churchtools' ? 'ChurchTools' : 'Optigem';
    else if (name === 'systems' && typeof value === 'string') out[name] = value.split(',').map((one) => (one.trim() === 'churchtools' ? 'ChurchTools' : one.trim() === 'optigem' ? 'Optigem' : one.trim())).join(', ');
    else if (name === 'action' && typeof value === 'string' && names.action) out[name] = names.action(value);
    // A booking named in a message (a blocker's example) is its stored label: day, money, receipt.
    else if (name === 'booking' && typeof value === 'string') out[name] = bookingLabelFor(value, locale);
    // A donor (blockers of bookings) is a person of the message's system: named, never a bare number.
    // The message's own `system` says whose person it is; the caller's system is where it was logged.
    else if (name === 'donor' && (typeof value === 'string' || typeof value === 'number') && side) {
      out[name] = personRef(named === 'churchtools' || named === 'optigem' ? named : side, value, locale, names.persons);
    }
    // "Wert „Person #237“ von Spender": a value of a person field is a person too. Log entries name
    // the side written to, not the side the value came from, so only a message that says its
    // system gets the name; without it the id is said as a person's, never as another's name.
    else if (name === 'value' && (typeof value === 'string' || typeof value === 'number') && names.value && (named === 'churchtools' || named === 'optigem') && typeof args?.['field'] === 'string') {
      out[name] = names.value(named, args['field'], value);
    } else if (name === 'value' && (typeof value === 'string' || typeof value === 'number') && valueSide && typeof args?.['field'] === 'string' && isPersonField(valueSide, args['field'])) {
      out[name] = personRef(valueSide, value, locale, named === valueSide ? names.persons : undefined);
    }
  }
  return out;
}
