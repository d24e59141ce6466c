/**
 * ChurchTools Finance transactions ↔ the engine's records (src/sync/transaction-fields.ts).
 * Accounts and cost centres are ids per accounting period in ChurchTools and numbers in the
 * record, so both directions go through the period's master data.
 */
import type { FieldValue, FieldValues, SyncRecord } from '../../sync/model.ts';
import { PortError } from '../../sync/ports.ts';
import { CT_TRANSACTION_FIELDS as F } from '../../sync/transaction-fields.ts';
import { normalizeDate } from '../../sync/normalize.ts';
import type { Account, AccountingPeriod, CostCenter, CtTransaction, TransactionNew, TransactionUpdate } from '../finance.ts';
import { storedBookingLabel } from '../../format/booking-label.ts';

/** One accounting period and its master data, in both directions (number ↔ id). */
export interface PeriodBooks {
  readonly period: AccountingPeriod;
  readonly accountsByNumber: ReadonlyMap<string, Account>;
  readonly accountsById: ReadonlyMap<number, Account>;
  readonly costCentersByNumber: ReadonlyMap<string, CostCenter>;
  readonly costCentersById: ReadonlyMap<number, CostCenter>;
}

/** Fields the record carries for conditions only; ChurchTools cannot take them in a write. */
const CONDITION_ONLY: ReadonlySet<string> = new Set([F.accounts, F.isDonation, F.donorStatus]);

/** "2026-01-01 – 2026-12-31", as people name a period in messages. */
export function periodText(period: Pick<AccountingPeriod, 'startDate' | 'endDate'>): string {
  return `${period.startDate.slice(0, 10)} – ${period.endDate.slice(0, 10)}`;
}


const NOTE_IN_LABEL = 40;

/** How people recognise a booking: "2026-03-02 · 50,00 € · Beleg D-2026-017 · Spende Mission". */
export function transactionLabel(values: FieldValues): string {
  const date = values[F.date];
  const amount = values[F.amount];
  const number = values[F.documentNumber];
  const note = values[F.note];
  return storedBookingLabel({
    date: typeof date === 'string' && date !== '' ? date : null,
    amountCents: typeof amount === 'number' ? amount : null,
    document: typeof number === 'string' && number !== '' ? number : null,
    text: typeof note === 'string' && note !== '' ? (note.length > NOTE_IN_LABEL ? `${note.slice(0, NOTE_IN_LABEL - 1).trimEnd()}…` : note) : null,
  });
}

function text(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value;
}

/** A DomainObjectPerson's id as a string ("domainIdentifier = person id", ct-api §2.3). */
function personId(person: CtTransaction['donator']): string | null {
  const id = person?.domainIdentifier;
  return id === null || id === undefined || id === '' ? null : String(id);
}

export interface RecordExtras {
  /** Donator person id → status id; given only when a condition needs the donor's status. */
  readonly donorStatuses?: ReadonlyMap<string, string>;
}

/** The booking's donor persons: the donator and, for a couple's donation, the spouse. */
export function donorIds(t: CtTransaction): string[] {
  return [personId(t.donator), personId(t.donatorSpouse)].filter((id): id is string => id !== null);
}

export function transactionToRecord(t: CtTransaction, books: PeriodBooks, extras: RecordExtras = {}): SyncRecord {
  const account = books.accountsById.get(t.accountId);
  const contra = books.accountsById.get(t.contraAccountId);
  // [I] Accounts and cost centres of a booking belong to its period, so a lookup miss means the
  // master data changed during the read; the number is then unknown rather than guessed.
  const accountNumber = account ? String(account.number) : null;
  const contraNumber = contra ? String(contra.number) : null;
  const costCenter = t.costCenterId === null || t.costCenterId === undefined ? null : books.costCentersById.get(t.costCenterId);
  const donors = donorIds(t);
  const properties: Record<string, FieldValue> = {
    [F.date]: normalizeDate(t.documentDate),
    [F.amount]: t.amount,
    [F.documentNumber]: text(t.documentNumber),
    [F.note]: text(t.note),
    [F.account]: accountNumber,
    [F.contraAccount]: contraNumber,
    [F.costCenter]: costCenter ? String(costCenter.number) : null,
    [F.donor]: donors.length === 0 ? null : donors.join(','),
    [F.waiver]: t.isWaiverOfReimbursementOfExpenses === true,
    [F.accounts]: [accountNumber, contraNumber].filter((n): n is string => n !== null),
    [F.isDonation]: account?.isDonationAccount === true || contra?.isDonationAccount === true,
  };
  if (extras.donorStatuses) {
    const donator = donors[0];
    properties[F.donorStatus] = donator === undefined ? null : (extras.donorStatuses.get(donator) ?? null);
  }
  return {
    id: String(t.id),
    properties,
    // The published Transaction.meta is count-only: no modification date is promised, so none is
    // read. Which side changed is decided from the pair's fingerprint baseline (issue #11).
    modifiedAt: null,
    locked: t.isImmutable === true || books.period.isClosed === true,
    label: transactionLabel(properties),
  };
}

function invalid(field: string, value: FieldValue, expected: string, label: string): PortError {
  const shown = Array.isArray(value) ? value.join(',') : String(value);
  return new PortError('ct.invalidValue', `ChurchTools: booking ${label}: ${field} must be ${expected}, got "${shown}"`, {
    args: { field, value: shown, label },
  });
}

function scalarText(value: FieldValue): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(',');
  const s = String(value).trim();
  return s === '' ? null : s;
}

/** "A" or "A,B" → donatorId A and donatorSpouseId B; null (or absent) → none. */
export function parseDonor(value: FieldValue, label: string): { donatorId: number | null; donatorSpouseId: number | null } {
  const raw = Array.isArray(value) ? value : (scalarText(value)?.split(',') ?? []);
  const ids = raw.map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length > 2 || ids.some((id) => !/^\d+$/.test(id))) throw invalid(F.donor, value, 'a person id or two separated by a comma', label);
  return { donatorId: ids[0] === undefined ? null : Number(ids[0]), donatorSpouseId: ids[1] === undefined ? null : Number(ids[1]) };
}

/** Everything the engine can say about a booking, in ChurchTools' terms; null = none. */
interface Writable {
  documentDate: string;
  documentNumber: string;
  accountId: number;
  contraAccountId: number;
  amount: number;
  note: string;
  costCenterId: number | null;
  donatorId: number | null;
  donatorSpouseId: number | null;
  isWaiverOfReimbursementOfExpenses: boolean;
}

/**
 * Overlays engine values onto a booking body. Numbers become ids of `books`; a number the period
 * does not know is an error the admin fixes in ChurchTools Finance, so nothing half-mapped is sent.
 */
export function applyValues(base: Partial<Writable>, values: FieldValues, books: PeriodBooks, label: string): Partial<Writable> {
  const body: Partial<Writable> = { ...base };
  const accountId = (field: string, value: FieldValue): number => {
    const number = scalarText(value);
    if (number === null) throw missing(field, label);
    const account = books.accountsByNumber.get(number);
    if (!account) throw unknownNumber('ct.unknownAccount', 'account', field, number, books.period, label);
    return account.id;
  };
  for (const [field, value] of Object.entries(values)) {
    switch (field) {
      case F.date: {
        const date = typeof value === 'string' ? normalizeDate(value) : null;
        if (date === null) throw value === null ? missing(field, label) : invalid(field, value, 'a date YYYY-MM-DD', label);
        body.documentDate = date;
        break;
      }
      case F.amount: {
        const amount = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
        if (amount === null) throw missing(field, label);
        if (typeof amount !== 'number' || !Number.isInteger(amount)) throw invalid(field, value, 'an amount in cents', label);
        body.amount = amount;
        break;
      }
      // [I] ChurchTools types both as non-nullable strings; '' clears them.
      case F.documentNumber:
        body.documentNumber = scalarText(value) ?? '';
        break;
      case F.note:
        body.note = scalarText(value) ?? '';
        break;
      case F.account:
        body.accountId = accountId(field, value);
        break;
      case F.contraAccount:
        body.contraAccountId = accountId(field, value);
        break;
      case F.costCenter: {
        const number = scalarText(value);
        if (number === null) {
          body.costCenterId = null;
          break;
        }
        const costCenter = books.costCentersByNumber.get(number);
        if (!costCenter) throw unknownNumber('ct.unknownCostCenter', 'cost centre', field, number, books.period, label);
        body.costCenterId = costCenter.id;
        break;
      }
      case F.donor:
        Object.assign(body, parseDonor(value, label));
        break;
      case F.waiver:
        if (value !== null && typeof value !== 'boolean') throw invalid(field, value, 'true or false', label);
        body.isWaiverOfReimbursementOfExpenses = value === true;
        break;
      default:
        throw new PortError(
          'ct.readOnlyField',
          CONDITION_ONLY.has(field)
            ? `ChurchTools: "${field}" of a booking is derived for conditions and cannot be written (booking ${label})`
            : `ChurchTools: a booking has no field "${field}" (booking ${label}); remove it from the transaction property pairs`,
          { args: { field, label } },
        );
    }
  }
  return body;
}

function missing(field: string, label: string): PortError {
  return new PortError('ct.missingValue', `ChurchTools: booking ${label} needs a value in ${field}; ChurchTools Finance cannot book without it`, {
    args: { field, label },
  });
}

function unknownNumber(code: string, what: string, field: string, number: string, period: AccountingPeriod, label: string): PortError {
  const range = periodText(period);
  return new PortError(
    code,
    `ChurchTools: booking ${label}: ChurchTools Finance has no ${what} ${number} (${field}) in the accounting period ${range}. ` +
      `Create the ${what} ${number} in ChurchTools Finance for this period, then run the job again.`,
    { args: { field, number, period: range, label } },
  );
}

/**
 * TransactionNew from complete engine values; marked as made by a sync (`isSynced`). Only
 * `costCenterId` may be null in the published body: an absent donor or spouse is left out.
 */
export function newTransactionBody(values: FieldValues, books: PeriodBooks, label: string): TransactionNew {
  const body = applyValues({ documentNumber: '', note: '', costCenterId: null }, values, books, label);
  const { documentDate, amount, accountId, contraAccountId } = body;
  if (documentDate === undefined) throw missing(F.date, label);
  if (amount === undefined) throw missing(F.amount, label);
  if (accountId === undefined) throw missing(F.account, label);
  if (contraAccountId === undefined) throw missing(F.contraAccount, label);
  return {
    documentDate,
    documentNumber: body.documentNumber ?? '',
    accountId,
    contraAccountId,
    amount,
    note: body.note ?? '',
    costCenterId: body.costCenterId ?? null,
    ...(body.donatorId === undefined || body.donatorId === null ? {} : { donatorId: body.donatorId }),
    ...(body.donatorSpouseId === undefined || body.donatorSpouseId === null ? {} : { donatorSpouseId: body.donatorSpouseId }),
    ...(body.isWaiverOfReimbursementOfExpenses === undefined ? {} : { isWaiverOfReimbursementOfExpenses: body.isWaiverOfReimbursementOfExpenses }),
    isSynced: true,
  };
}

/** A booking as ChurchTools has it, in the engine's write terms. */
function writableOf(t: CtTransaction): Writable {
  const [donator, spouse] = [personId(t.donator), personId(t.donatorSpouse)];
  return {
    documentDate: normalizeDate(t.documentDate) ?? t.documentDate,
    documentNumber: t.documentNumber ?? '',
    accountId: t.accountId,
    contraAccountId: t.contraAccountId,
    amount: t.amount,
    note: t.note ?? '',
    costCenterId: t.costCenterId ?? null,
    donatorId: donator === null ? null : Number(donator),
    donatorSpouseId: spouse === null ? null : Number(spouse),
    isWaiverOfReimbursementOfExpenses: t.isWaiverOfReimbursementOfExpenses === true,
  };
}

/**
 * The PUT body that replaces `t` with `values` overlaid: exactly the published
 * TransactionUpdate (ct-contract-2026-12), every field it has sent since PUT replaces [I].
 * What it cannot carry — a changed spouse, a changed waiver, a booking without cost centre —
 * is refused here rather than silently dropped; the planner does not plan such a write in place.
 */
export function replacementBody(t: CtTransaction, values: FieldValues, books: PeriodBooks, label: string): TransactionUpdate {
  const before = writableOf(t);
  const after: Writable = { ...before, ...applyValues(before, values, books, label) };
  const lost: string[] = [];
  if (after.donatorSpouseId !== before.donatorSpouseId) lost.push(F.donor);
  if (after.isWaiverOfReimbursementOfExpenses !== before.isWaiverOfReimbursementOfExpenses) lost.push(F.waiver);
  if (after.costCenterId === null) lost.push(F.costCenter);
  if (lost.length > 0) {
    throw new PortError(
      'ct.notUpdatableInPlace',
      `ChurchTools: booking ${label} cannot be changed in place: the update of a booking cannot set ${lost.join(', ')}` +
        ' (it has no spouse or waiver field and needs a cost centre). Change it in ChurchTools Finance, or reverse it and book it anew.',
      { args: { label, fields: lost.join(', ') } },
    );
  }
  const costCenterId = after.costCenterId as number;
  return {
    documentDate: after.documentDate,
    documentNumber: after.documentNumber,
    accountId: after.accountId,
    contraAccountId: after.contraAccountId,
    amount: after.amount,
    note: after.note,
    costCenterId,
    ...(after.donatorId === null ? {} : { donatorId: after.donatorId }),
    ...(t.taxRateId === null || t.taxRateId === undefined ? {} : { taxRateId: t.taxRateId }),
    ...(t.cashDiscountId === null || t.cashDiscountId === undefined ? {} : { cashDiscountId: t.cashDiscountId }),
    ...(t.cashDiscountAmount === null || t.cashDiscountAmount === undefined ? {} : { cashDiscountAmount: t.cashDiscountAmount }),
  };
}

/** What a booking's content is, for "was it changed since it was read?". */
export function contentOf(t: CtTransaction): string {
  const { taxRateId, cashDiscountId, cashDiscountAmount, isImmutable } = t;
  return JSON.stringify([writableOf(t), taxRateId ?? null, cashDiscountId ?? null, cashDiscountAmount ?? null, isImmutable === true]);
}
