/**
 * The one place that turns stored values into what people read: field names into the labels of
 * Eigenschaften-Paare, cents into money, ISO days into dates, booleans into ja/nein, ids into the
 * names a caller's lookup knows. Plain TypeScript without Vue, so the views, the CSV export, the
 * runner's messages and the CLI all say the same thing the same way.
 */
import { vocabularyDe } from '../messages/vocabulary-de.ts';
import { vocabularyEn } from '../messages/vocabulary-en.ts';
import type { FieldValue, SystemId } from '../sync/model.ts';
import { CT_TRANSACTION_FIELDS, OG_BOOKING_FIELDS } from '../sync/transaction-fields.ts';

export type FormatLocale = 'de' | 'en';

/** Names for ids of enumerated fields (status, department, campus, account …), when known. */
export type OptionLookup = (system: SystemId, field: string, id: string) => string | undefined;

const INTL: Readonly<Record<FormatLocale, string>> = { de: 'de-DE', en: 'en-GB' };

type LabelTable = Readonly<Record<string, string>>;
const FIELD_LABELS: Readonly<Record<FormatLocale, Readonly<Record<SystemId, LabelTable>>>> = {
  de: { churchtools: vocabularyDe.fields.churchtools, optigem: vocabularyDe.fields.optigem },
  en: { churchtools: vocabularyEn.fields.churchtools, optigem: vocabularyEn.fields.optigem },
};

const MONEY_FIELDS: Readonly<Record<SystemId, ReadonlySet<string>>> = {
  churchtools: new Set([CT_TRANSACTION_FIELDS.amount]),
  optigem: new Set([OG_BOOKING_FIELDS.amount]),
};

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

/** "8000 Spenden": an account, cost centre or project by number and name. */
export function numberedName(number: string | number, name?: string | null): string {
  return name ? `${number} ${name}` : String(number);
}

export function isEmptyDisplay(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

export interface ValueFormatOptions {
  readonly lookup?: OptionLookup;
  /** Shown for an empty value; '–' unless the caller says otherwise. */
  readonly empty?: string;
}

/** One stored value of `field` on `system` as people read it. */
export function formatValue(system: SystemId, field: string, value: FieldValue | undefined, locale: string, options: ValueFormatOptions = {}): string {
  if (isEmptyDisplay(value)) return options.empty ?? '–';
  const one = (item: string | number | boolean): string => {
    if (typeof item === 'boolean') return formatBoolean(item, locale);
    const named = options.lookup?.(system, field, String(item));
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

/**
 * Message arguments as people read them: `fields` (engine-joined field names) become labels,
 * `field` a label, any `…Cents` argument money under the name without the suffix, booleans ja/nein,
 * system ids their product names, `action` its name when the caller can name actions.
 */
export function formatArgs(
  args: Readonly<Record<string, unknown>> | undefined,
  locale: string,
  system?: SystemId,
  names: { readonly action?: (action: string) => string } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(args ?? {}) };
  const named = args?.['system'];
  const side = system ?? (named === 'churchtools' || named === 'optigem' ? named : undefined);
  for (const [name, value] of Object.entries(args ?? {})) {
    if (name === 'fields' && typeof value === 'string') out[name] = fieldListLabel(value, locale, side);
    else if (name === 'field' && typeof value === 'string') out[name] = sideLabel(value, locale, side);
    else if (name.endsWith('Cents') && typeof value === 'number') out[name.slice(0, -'Cents'.length)] = formatMoney(value, locale);
    else if (typeof value === 'boolean') out[name] = formatBoolean(value, locale);
    else if (name === 'system' && (value === 'churchtools' || value === 'optigem')) out[name] = value === 'churchtools' ? 'ChurchTools' : 'Optigem';
    else if (name === 'systems' && typeof value === 'string') out[name] = value.split(',').map((one) => (one.trim() === 'churchtools' ? 'ChurchTools' : one.trim() === 'optigem' ? 'Optigem' : one.trim())).join(', ');
    else if (name === 'action' && typeof value === 'string' && names.action) out[name] = names.action(value);
  }
  return out;
}
