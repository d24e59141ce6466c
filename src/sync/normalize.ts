/**
 * Normalisation for matching. Names compare equal when they differ only in surrounding or
 * repeated white space, case, Unicode composition or the spelling of umlauts (DIN 5007-2:
 * "Müller" = "Mueller", "Weiß" = "Weiss"), because Optigem data often comes from systems that
 * could not store umlauts.
 */

import { nfc } from './canonical.ts';

const DIN_5007_2: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss' };

/** What the replacements below act on: a name without umlauts or white space is done once lower-cased. */
const NEEDS_REPLACING = /[äöüßẞ\s]/;

export function normalizeName(value: string): string {
  // German needs no locale-specific lower-casing; the plain one is several times faster.
  const lower = nfc(value).toLowerCase();
  if (!NEEDS_REPLACING.test(lower)) return lower;
  return lower
    .replace(/[äöüßẞ]/g, (ch) => DIN_5007_2[ch] ?? ch)
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

export function normalizeEmail(value: string): string {
  return nfc(value).trim().toLowerCase();
}

const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;

/** Accepts `YYYY-MM-DD` or an ISO timestamp; anything else is not a usable birthday. */
export function normalizeDate(value: string): string | null {
  const text = value.trim();
  return ISO_DATE_START.test(text) ? text.slice(0, 10) : null;
}
