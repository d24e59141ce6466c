/**
 * Table and column names the SQLite store uses. They are Optigem's own where public code
 * confirms them [C] (reference §1.2–1.4), so the same queries can later point at a real Optigem
 * database; names nobody has seen are marked [I] and can be changed in the bridge config
 * (`store.names`) without touching code.
 */
import { PERSON_DATE_FIELDS, PERSON_GENDER_FIELD, PERSON_TEXT_FIELDS } from '../../../optigem/fields.ts';
import type { PersonDateField, PersonTextField } from '../../../optigem/fields.ts';

export type PersonColumnField = PersonTextField | PersonDateField | 'gender';

export interface OptigemNames {
  persons: {
    table: string; // [C] Spender
    nr: string; // [C] Nr
    /** null: the installation has no such column; the field then always reads null and cannot be written. */
    columns: Record<PersonColumnField, string | null>;
  };
  categories: { table: string; id: string; name: string; prefix: string }; // [C]
  categoryAssignments: { table: string; personNr: string; categoryId: string }; // [C]
  mandantOptions: { table: string; key: string; value: string; nameKey: string }; // [C] table/columns, [I] nameKey
  fiscalYears: { table: string; year: string; start: string; end: string; closed: string }; // [I] all
  accounts: { table: string; year: string; number: string; name: string; type: string }; // [I] all
  projects: { table: string; year: string; number: string; name: string }; // [I] all
  bookings: {
    table: string; // [I]
    id: string; // [I] Optigem's booking key is unknown (reference §4.2)
    year: string; // [I]
    // The rest are the Excel booking-import column names [C] (reference §1.4).
    date: string;
    debitAccount: string;
    debitSubAccount: string;
    debitProject: string;
    creditAccount: string;
    creditSubAccount: string;
    creditProject: string;
    amount: string;
    text: string;
    documentType: string;
    documentNumber: string;
    donationDate: string;
    enteredAt: string;
    /**
     * [I] Zuwendungsart of the booking (Geldzuwendung, Sachzuwendung, Verzicht auf Erstattung von
     * Aufwendungen); null: the installation has no such column, every booking reads as no waiver.
     */
    waiver: string | null;
  };
}

export const DEFAULT_NAMES: OptigemNames = {
  persons: {
    table: 'Spender',
    nr: 'Nr',
    columns: { ...PERSON_TEXT_FIELDS, ...PERSON_DATE_FIELDS, ...PERSON_GENDER_FIELD },
  },
  categories: { table: 'Personenkategorien', id: 'ID', name: 'Kurzname', prefix: 'Präfix' },
  categoryAssignments: { table: 'Personen-Kategorie-Zuordnung', personNr: 'Personen-Nr', categoryId: 'Kategorie-ID' },
  mandantOptions: { table: 'main_#_Optionen_Mandant', key: 'OptionsBez', value: 'Wert', nameKey: 'Mandantname' },
  fiscalYears: { table: 'Wirtschaftsjahre', year: 'Jahr', start: 'Beginn', end: 'Ende', closed: 'Abgeschlossen' },
  accounts: { table: 'Konten', year: 'Jahr', number: 'Nr', name: 'Bezeichnung', type: 'Kontoart' },
  projects: { table: 'Projekte', year: 'Jahr', number: 'Nr', name: 'Bezeichnung' },
  bookings: {
    table: 'Buchungen',
    id: 'ID',
    year: 'Jahr',
    date: 'Datum',
    debitAccount: 'SollHK',
    debitSubAccount: 'SollUK',
    debitProject: 'SollProj',
    creditAccount: 'HabenHK',
    creditSubAccount: 'HabenUK',
    creditProject: 'HabenProj',
    amount: 'Betrag',
    text: 'BuchText',
    documentType: 'Belegart',
    documentNumber: 'BelegNr',
    donationDate: 'SpendeDat',
    enteredAt: 'ErfDat',
    waiver: 'Zuwendungsart',
  },
};

export type NameOverrides = {
  [G in keyof OptigemNames]?: G extends 'persons'
    ? { table?: string; nr?: string; columns?: Partial<Record<PersonColumnField, string | null>> }
    : Partial<OptigemNames[G]>;
};

export function resolveNames(overrides: NameOverrides = {}): OptigemNames {
  const d = DEFAULT_NAMES;
  return {
    persons: {
      ...d.persons,
      ...overrides.persons,
      columns: { ...d.persons.columns, ...overrides.persons?.columns },
    },
    categories: { ...d.categories, ...overrides.categories },
    categoryAssignments: { ...d.categoryAssignments, ...overrides.categoryAssignments },
    mandantOptions: { ...d.mandantOptions, ...overrides.mandantOptions },
    fiscalYears: { ...d.fiscalYears, ...overrides.fiscalYears },
    accounts: { ...d.accounts, ...overrides.accounts },
    projects: { ...d.projects, ...overrides.projects },
    bookings: { ...d.bookings, ...overrides.bookings },
  };
}

/**
 * Quotes an identifier for SQLite. Names come from code and the operator's config, never from
 * requests; quoting still matters because Optigem's names contain spaces, `#`, `-` and umlauts.
 */
export function q(name: string): string {
  if (name.length === 0 || /[\u0000-\u001f]/.test(name)) throw new Error(`Invalid SQL identifier: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}
