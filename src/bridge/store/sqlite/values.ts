/** Conversions between what SQLite (or an Optigem column) holds and the API's normalised values. */

export function textFromDb(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : String(value);
  return s === '' ? null : s;
}

export function textToDb(value: string | null | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/**
 * Accepts `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` and ISO timestamps (what SQLite holds and what
 * ODBC drivers answer for Date/Time columns), and Date objects; anything else reads as null.
 */
export function dateFromDb(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match?.[1] ?? null;
}

export function intFromDb(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** Optigem keeps euros (Access Currency [I]); the API speaks cents. */
export function centsFromDb(value: unknown): number {
  return Math.round(Number(value) * 100);
}

export function centsToDb(cents: number): number {
  return cents / 100;
}

/**
 * `Geschlecht` codes. Public code maps `Geschlecht + 1` to Unknown/Male/Female, so the stored
 * values are probably -1/0/1 [I]; configurable in `store.genderCodes`.
 */
export interface GenderCodes {
  male: number;
  female: number;
  unknown: number;
}

export const DEFAULT_GENDER_CODES: GenderCodes = { male: 0, female: 1, unknown: -1 };

export function genderFromDb(value: unknown, codes: GenderCodes): 'male' | 'female' | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  if (n === codes.male) return 'male';
  if (n === codes.female) return 'female';
  return null;
}

export function genderToDb(value: 'male' | 'female' | null, codes: GenderCodes): number {
  return value === null ? codes.unknown : codes[value];
}
