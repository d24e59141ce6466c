import type { FieldValue } from './model.ts';

/** Separates the elements of a multi-valued field in its canonical form. */
const UNIT_SEPARATOR = '\u001f';

/**
 * Composes only text that can need it. Text below U+0300 (ASCII, Latin-1 with the umlauts,
 * Latin Extended) holds no combining marks and is NFC already, and that is nearly every name;
 * normalising costs far more than this check.
 */
const MAY_NEED_NFC = /[^\u0000-\u02ff]/;

export function nfc(text: string): string {
  return MAY_NEED_NFC.test(text) ? text.normalize('NFC') : text;
}

export function isEmptyValue(value: FieldValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/**
 * The form in which two values are compared and fingerprinted: empty values are one value,
 * strings are trimmed and NFC-composed, multi-valued fields are order-independent.
 */
export function canonicalValue(value: FieldValue | undefined): string {
  if (typeof value === 'string') return nfc(value).trim();
  if (isEmptyValue(value)) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return [...new Set(value.map((v) => String(v).trim()))].sort().join(UNIT_SEPARATOR);
  return '';
}

/** The individual values of a field, for conditions: one for plain fields, many for lists. */
export function valueList(value: FieldValue | undefined): string[] {
  if (isEmptyValue(value)) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim());
  return [canonicalValue(value)];
}
