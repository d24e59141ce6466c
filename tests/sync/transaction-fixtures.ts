import type { Condition, FieldValues, Job, JobActions, Pair } from '../../src/sync/model.ts';
import type { ReferenceData } from '../../src/sync/ports.ts';
import { DEFAULT_TRANSACTION_PROPERTY_PAIRS } from '../../src/sync/transaction-fields.ts';
import { MemorySystem } from '../../src/sync/memory.ts';
import { CT_IDENTITY, world as personWorld, type World } from './fixtures.ts';

export const TX_PAIRS = DEFAULT_TRANSACTION_PROPERTY_PAIRS;
export const ALL_TX_KEYS = TX_PAIRS.map((pair) => pair.key);

export interface Booking {
  date?: string;
  cents?: number;
  doc?: string;
  text?: string;
  /** Soll (debit) account number; ChurchTools `contraAccount`. */
  soll?: string;
  /** Haben (credit) account number; ChurchTools `account`. */
  haben?: string;
  project?: string | null;
  /** ChurchTools: "A" or "A,B"; Optigem: Personen-Nr. */
  donor?: string | null;
  waiver?: boolean;
  donor0?: boolean;
}

const defaults: Required<Omit<Booking, 'donor0'>> = {
  date: '2026-03-01',
  cents: 5000,
  doc: 'D-1',
  text: 'Spende',
  soll: '1200',
  haben: '8000',
  project: '10',
  donor: null,
  waiver: false,
};

const DONATION_ACCOUNTS = new Set(['8000']);

export function ctBooking(b: Booking = {}): FieldValues {
  const v = { ...defaults, ...b };
  return {
    documentDate: v.date,
    amount: v.cents,
    documentNumber: v.doc,
    note: v.text,
    account: v.haben,
    contraAccount: v.soll,
    costCenter: v.project,
    donor: v.donor,
    isWaiverOfReimbursementOfExpenses: v.waiver,
    accounts: [v.haben, v.soll],
    isDonation: DONATION_ACCOUNTS.has(v.haben) || DONATION_ACCOUNTS.has(v.soll),
  };
}

export function ogBooking(b: Booking = {}): FieldValues {
  const v = { ...defaults, ...b };
  return {
    date: v.date,
    amountCents: v.cents,
    documentNumber: v.doc,
    text: v.text,
    debitAccount: v.soll,
    creditAccount: v.haben,
    project: v.project,
    donor: v.donor,
    waiver: v.waiver,
    accounts: [v.soll, v.haben],
    isDonation: DONATION_ACCOUNTS.has(v.haben) || DONATION_ACCOUNTS.has(v.soll),
    fiscalYear: v.date.slice(0, 4),
    donor0: b.donor0 ?? false,
  };
}

export const CT_REFERENCES: ReferenceData = {
  known: { account: ['1200', '8000', '4200'], contraAccount: ['1200', '8000', '4200'], costCenter: ['10', '20'] },
  problems: [],
  writable: true,
  spouses: { '101': '102', '102': '101' },
};

export const OG_REFERENCES: ReferenceData = {
  known: { debitAccount: ['1200', '8000', '4200'], creditAccount: ['1200', '8000', '4200'], project: ['10', '20'] },
  problems: [],
  writable: true,
  couples: ['7'],
};

/**
 * Person pairs of the same connection: ChurchTools 100 ↔ Optigem 5 (single), 101 ↔ 7 (the
 * couple record "Max und Erika", 101's spouse is 102).
 */
export const PERSON_PAIRS: Pair[] = [
  { ct: '100', og: '5', status: 'synced', fp: '', at: 1 },
  { ct: '101', og: '7', status: 'synced', fp: '', at: 1 },
];

export async function transactionWorld(): Promise<World> {
  const base = personWorld([...TX_PAIRS]);
  // ChurchTools transactions have no field that remembers the Optigem partner.
  const ct = new MemorySystem('churchtools', CT_IDENTITY, base.clock, null, base.ct.listFields);
  const w: World = { ...base, ct, context: { ...base.context, ports: { churchtools: ct, optigem: base.og } } };
  w.ct.references = CT_REFERENCES;
  w.og.references = OG_REFERENCES;
  await w.pairs.save('conn-1', 'person', PERSON_PAIRS);
  return w;
}

export function txJob(actions: JobActions, options: { ct?: Condition[]; og?: Condition[]; keys?: string[] } = {}): Job {
  return {
    id: 'job-tx',
    name: 'Buchungen 2026',
    connectionId: 'conn-1',
    domain: 'transaction',
    actions,
    conditions: { churchtools: options.ct ?? [], optigem: options.og ?? [] },
    propertyPairKeys: options.keys ?? ALL_TX_KEYS,
    autoRun: false,
    scope: { fiscalYear: '2026' },
  };
}
