/**
 * Normalisation for matching. Names compare equal when they differ only in surrounding or
 * repeated white space, case, Unicode composition, the spelling of umlauts (DIN 5007-2:
 * "Müller" = "Mueller", "Weiß" = "Weiss"), because Optigem data often comes from systems that
 * could not store umlauts — or in characters nobody sees: a zero-width space or a bidirectional
 * mark pasted in with a name made a visually identical person look new, and created a duplicate.
 */

import { nfc } from './canonical.ts';

const DIN_5007_2: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss' };

/**
 * Format characters that change nothing a reader sees: soft hyphen, Mongolian vowel separator,
 * zero-width space/non-joiner/joiner, left-to-right and right-to-left marks, bidirectional
 * embeddings and overrides (U+202A–202E), word joiner and invisible operators (U+2060–2064),
 * bidirectional isolates (U+2066–2069) and the byte order mark / zero-width no-break space.
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * What the replacements below act on: a name without umlauts, white space (`\s` covers the
 * non-breaking space and the other Unicode spaces) or invisible characters is done once lower-cased.
 */
const NEEDS_REPLACING = /[äöüßẞ\s\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** The text without invisible format characters, every kind of space as one plain space, trimmed. */
export function visibleText(value: string): string {
  return value.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

export function normalizeName(value: string): string {
  // German needs no locale-specific lower-casing; the plain one is several times faster.
  const lower = nfc(value).toLowerCase();
  if (!NEEDS_REPLACING.test(lower)) return lower;
  return visibleText(lower.replace(/[äöüßẞ]/g, (ch) => DIN_5007_2[ch] ?? ch)).replace(/ ?- ?/g, '-');
}

export function normalizeEmail(value: string): string {
  const text = nfc(value).toLowerCase();
  return NEEDS_REPLACING.test(text) ? visibleText(text) : text;
}

const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;

/** Accepts `YYYY-MM-DD` or an ISO timestamp; anything else is not a usable birthday. */
export function normalizeDate(value: string): string | null {
  const text = value.trim();
  return ISO_DATE_START.test(text) ? text.slice(0, 10) : null;
}
