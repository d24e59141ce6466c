/**
 * How people recognise a booking: its day, amount, receipt number and text. Both ports store a
 * booking's label in one fixed, reader-independent form ("2026-03-02 · 50,00 € · Beleg D-17 ·
 * Spende Mission"), because a log is written once (often at night) and read later by admins of
 * either language. `bookingLabelFor` turns that stored form into the reader's words; anything
 * that is not a booking label (a person's "Müller, Anna") passes through unchanged.
 */
import { formatDay, formatMoney, localeOf } from './values.ts';

export interface BookingLabelParts {
  readonly date: string | null;
  readonly amountCents: number | null;
  readonly document: string | null;
  readonly text: string | null;
}

const SEPARATOR = ' · ';
const STORNO = 'Storno ';
const RECEIPT = 'Beleg ';

/** Cents in the stored form: "1.234,56 €", "-0,05 €" (German, whoever reads it later). */
export function storedAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')} €`;
}

export function storedBookingLabel(parts: BookingLabelParts): string {
  const out: string[] = [];
  if (parts.date) out.push(parts.date);
  if (parts.amountCents !== null) out.push(storedAmount(parts.amountCents));
  if (parts.document) out.push(`${RECEIPT}${parts.document}`);
  if (parts.text) out.push(parts.text);
  return out.join(SEPARATOR);
}

const STORED = /^(\d{4}-\d{2}-\d{2})?(?:(?:^| · )(-?\d{1,3}(?:\.\d{3})*,\d{2}) €)?(?:(?:^| · )Beleg (.+?))?(?:(?:^| · )(.*))?$/;

/** The parts of a stored booking label, or null when the text is no booking label. */
export function parseBookingLabel(label: string): { readonly storno: boolean; readonly parts: BookingLabelParts } | null {
  const storno = label.startsWith(STORNO);
  const body = storno ? label.slice(STORNO.length) : label;
  const match = STORED.exec(body);
  // A date or an amount first is what makes it a booking's label; a person's name has neither.
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  const amount = match[2];
  return {
    storno,
    parts: {
      date: match[1] ?? null,
      amountCents: amount === undefined ? null : Math.round(Number(amount.replace(/\./g, '').replace(',', '.')) * 100),
      document: match[3] ?? null,
      text: match[4] ?? null,
    },
  };
}

/** A stored label as the reader reads it: "02.03.2026 · 50,00 € · Beleg D-17" / "2 Mar 2026 · €50.00 · Receipt D-17". */
export function bookingLabelFor(label: string, locale: string): string {
  const parsed = parseBookingLabel(label);
  if (!parsed) return label;
  const de = localeOf(locale) === 'de';
  const { date, amountCents, document, text } = parsed.parts;
  const out: string[] = [];
  if (date) out.push(formatDay(date, locale));
  if (amountCents !== null) out.push(formatMoney(amountCents, locale));
  if (document) out.push(`${de ? 'Beleg' : 'Receipt'} ${document}`);
  if (text) out.push(text);
  return `${parsed.storno ? (de ? 'Storno ' : 'Reversal of ') : ''}${out.join(SEPARATOR)}`;
}
