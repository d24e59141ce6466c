// Small display helpers shared by views: dates, ids, record labels.
import type { FieldValue } from '../../sync/model.ts';

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Seconds since the epoch (pairs store their last sync so) as a date and time. */
export function formatEpochSeconds(seconds: number | null | undefined, locale: string): string {
  if (!seconds) return '–';
  return formatDateTime(new Date(seconds * 1000).toISOString(), locale);
}

export function isEmptyDisplay(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Plain text of a value; lists joined. Labels for ids are the caller's job (see the options store). */
export function plainValue(value: FieldValue | undefined): string {
  if (isEmptyDisplay(value)) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** The day part of an ISO date (`2026-03-01`), for date-range filters. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/** A day (`2026-06-30`) as people write it: 30.06.2026, or 30 Jun 2026 in English. */
export function formatDay(day: string, locale: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}
