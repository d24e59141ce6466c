import { describe, expect, it } from 'vitest';
import { bookingLabelFor, parseBookingLabel, storedBookingLabel } from '../../src/format/booking-label.ts';

// A log is written once, often at night, and read later by admins of either language: a booking
// is stored in one form and shown in the reader's.
// Intl writes a no-break space between amount and currency.
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('booking labels in the reader’s language', () => {
  const gift = storedBookingLabel({ date: '2026-03-02', amountCents: 123456, document: 'D-2026-017', text: 'Spende Mission · Afrika' });

  it('stores one fixed form, whoever reads it later', () => {
    expect(gift).toBe('2026-03-02 · 1.234,56 € · Beleg D-2026-017 · Spende Mission · Afrika');
  });

  it('shows day, money and receipt in German and in English, the booking text as it is', () => {
    expect(plain(bookingLabelFor(gift, 'de'))).toBe('02.03.2026 · 1.234,56 € · Beleg D-2026-017 · Spende Mission · Afrika');
    expect(bookingLabelFor(gift, 'en')).toBe('2 Mar 2026 · €1,234.56 · Receipt D-2026-017 · Spende Mission · Afrika');
  });

  it('reads back what it stored, negative amounts and reversals too', () => {
    const refund = storedBookingLabel({ date: '2026-01-02', amountCents: -5, document: null, text: null });
    expect(parseBookingLabel(refund)).toEqual({ storno: false, parts: { date: '2026-01-02', amountCents: -5, document: null, text: null } });
    expect(bookingLabelFor(`Storno ${refund}`, 'en')).toBe('Reversal of 2 Jan 2026 · -€0.05');
    expect(bookingLabelFor(`Storno ${refund}`, 'de')).toMatch(/^Storno 02\.01\.2026 · -0,05\s€$/);
  });

  it('leaves whatever is no booking label alone: a person, an empty label', () => {
    expect(bookingLabelFor('Müller, Anna', 'en')).toBe('Müller, Anna');
    expect(bookingLabelFor('', 'de')).toBe('');
    expect(parseBookingLabel('Beleg 17')).toBeNull();
  });
});
