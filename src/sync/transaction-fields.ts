/**
 * The shape of a booking as both transaction ports hand it to the engine: property names,
 * value forms, and the connection's default property pairs for the transaction domain.
 * Adapters translate their systems' ids to these numbers and back.
 */
import type { FieldValue, FieldValues, PropertyPair } from './model.ts';

/** ChurchTools transaction properties (ct-api §2.3), ids replaced by numbers of the period. */
export const CT_TRANSACTION_FIELDS = {
  /** `documentDate`, YYYY-MM-DD. */
  date: 'documentDate',
  /** `amount` in cents, a number. */
  amount: 'amount',
  documentNumber: 'documentNumber',
  note: 'note',
  /**
   * Number of the account behind `accountId`, ChurchTools' *Konto*: for an income the bank or
   * cash account the money arrives on, i.e. Optigem's Soll side (issue #11).
   */
  account: 'account',
  /**
   * Number of the account behind `contraAccountId`, ChurchTools' *Gegenkonto*: for an income
   * the account it is booked to (the donation account), i.e. Optigem's Haben side (issue #11).
   */
  contraAccount: 'contraAccount',
  /** Number of the cost centre behind `costCenterId`, or null. */
  costCenter: 'costCenter',
  /** `donatorId`, or `donatorId,donatorSpouseId` for a couple's donation; null without donor. */
  donor: 'donor',
  /** Settable on create only: the published TransactionUpdate (PUT) has no waiver flag. */
  waiver: 'isWaiverOfReimbursementOfExpenses',
  /** Conditions only: both account numbers, a list ("account is 1200" meets either side). */
  accounts: 'accounts',
  /** Conditions only: one of the two accounts is a donation account. */
  isDonation: 'isDonation',
  /** Conditions only, read when a condition asks for it: the donator's person status id. */
  donorStatus: 'donorStatus',
} as const;

/** The ChurchTools booking fields a write can set (the rest are derived for conditions). */
export const CT_BOOKING_FIELDS: readonly string[] = [
  CT_TRANSACTION_FIELDS.date,
  CT_TRANSACTION_FIELDS.amount,
  CT_TRANSACTION_FIELDS.documentNumber,
  CT_TRANSACTION_FIELDS.note,
  CT_TRANSACTION_FIELDS.account,
  CT_TRANSACTION_FIELDS.contraAccount,
  CT_TRANSACTION_FIELDS.costCenter,
  CT_TRANSACTION_FIELDS.donor,
  CT_TRANSACTION_FIELDS.waiver,
];

/** Optigem booking properties as the bridge serves them (optigem.md §1.4). */
export const OG_BOOKING_FIELDS = {
  date: 'date',
  amount: 'amountCents',
  documentNumber: 'documentNumber',
  text: 'text',
  /** `SollHK`, as a string. */
  debitAccount: 'debitAccount',
  /** `HabenHK`, as a string. */
  creditAccount: 'creditAccount',
  /** The booking's project (the non-zero one of `SollProj`/`HabenProj`) as a string, or null. */
  project: 'project',
  /** Personen-Nr of the donor (Unterkonto on the donation account), null for none or Donor 0. */
  donor: 'donor',
  /** Zuwendungsart "Verzicht auf Erstattung von Aufwendungen" [I]. */
  waiver: 'waiver',
  /** Conditions only: both Hauptkonto numbers, a list. */
  accounts: 'accounts',
  /** Conditions only: one side is a donation account (Kontoart Spendenertrag). */
  isDonation: 'isDonation',
  /** Conditions only: the fiscal year, e.g. "2026". */
  fiscalYear: 'fiscalYear',
  /** The donation side points to sub-account 0 ("Spender 0"). */
  donor0: 'donor0',
} as const;

/**
 * The default pairs. ChurchTools Academy, "Zwecke" (churchtools.academy/de/?p=7180, confirmed):
 * for an income *Konto* is the bank or cash account and *Gegenkonto* the account it is booked
 * to; Optigem books the same donation Soll bank, Haben donation account. So Soll ↔ `accountId`
 * and Haben ↔ `contraAccountId` [I: Konto = `accountId`, Gegenkonto = `contraAccountId`, by the
 * field names]; project ↔ cost centre; donor sub-account ↔ donator through the person pairs.
 * Keys are short: they name the fields inside a pair's fingerprint. The account pairs have keys
 * of their own (`tk`, `tg`), not those of the old, reversed mapping (`ts`, `th`): a baseline
 * remembered under the old sides must never be read as one of the new.
 */
export const DEFAULT_TRANSACTION_PROPERTY_PAIRS: readonly PropertyPair[] = [
  { key: 'td', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.date, optigem: OG_BOOKING_FIELDS.date },
  { key: 'ta', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.amount, optigem: OG_BOOKING_FIELDS.amount },
  { key: 'tn', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.documentNumber, optigem: OG_BOOKING_FIELDS.documentNumber },
  { key: 'tt', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.note, optigem: OG_BOOKING_FIELDS.text },
  { key: 'tk', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.account, optigem: OG_BOOKING_FIELDS.debitAccount },
  { key: 'tg', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.contraAccount, optigem: OG_BOOKING_FIELDS.creditAccount },
  { key: 'tc', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.costCenter, optigem: OG_BOOKING_FIELDS.project },
  { key: 'tp', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.donor, optigem: OG_BOOKING_FIELDS.donor, role: 'donor' },
  { key: 'tw', domain: 'transaction', churchtools: CT_TRANSACTION_FIELDS.waiver, optigem: OG_BOOKING_FIELDS.waiver },
];

/** The spouse part of a ChurchTools donor value ("A,B" → "B"); '' for none. */
function spouseOf(value: FieldValue | undefined): string {
  const ids = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return (ids[1] ?? '').trim();
}

function isEmpty(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * The ChurchTools fields of `values` that a PUT of the booking `current` cannot write. The
 * published TransactionUpdate has no `donatorSpouseId` and no waiver flag, and it needs a cost
 * centre number (ct-contract-2026-12): so a changed spouse (a couple's donation given or taken
 * away), a changed waiver, and any write to a booking that would be left without a cost centre
 * are not possible in place. The cost centre, when named, makes the whole write impossible.
 */
export function notUpdatableInPlace(current: FieldValues, values: FieldValues): string[] {
  const F = CT_TRANSACTION_FIELDS;
  const fields: string[] = [];
  if (F.donor in values && spouseOf(values[F.donor]) !== spouseOf(current[F.donor])) fields.push(F.donor);
  if (F.waiver in values && (values[F.waiver] === true) !== (current[F.waiver] === true)) fields.push(F.waiver);
  if (isEmpty(F.costCenter in values ? values[F.costCenter] : current[F.costCenter])) fields.push(F.costCenter);
  return fields;
}
