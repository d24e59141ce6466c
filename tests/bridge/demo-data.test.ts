import { describe, expect, it } from 'vitest';
import { CATEGORY, FINANCE_TEXT_DIFFERENCES, OPTIGEM_BOOKED_UNTIL, optigemDemoData } from '../../src/bridge/demo/optigem-demo.ts';
import { RELATIONSHIP_SPOUSE, STATUS_MITGLIED, demoFinance, demoPersons, demoRelationships } from '../../src/bridge/demo/parish.ts';
import { coupleDetector } from '../../src/bridge/service/couple.ts';

const data = optigemDemoData();
const ct = new Map(demoPersons().map((p) => [p.id, p]));

describe('Optigem demo data', () => {
  it('is the same on every run', () => {
    expect(JSON.stringify(optigemDemoData())).toBe(JSON.stringify(data));
  });

  it('overlaps the ChurchTools demo mostly exactly, with every realistic kind of difference', () => {
    const count = (variant: string): number => data.persons.filter((p) => p.variant === variant).length;
    expect(count('exact')).toBeGreaterThan(data.persons.length / 2);
    for (const variant of ['umlautFolded', 'otherEmail', 'birthdayMissingInOptigem', 'birthdayOnlyInOptigem', 'couple', 'optigemOnly']) {
      expect(count(variant), variant).toBeGreaterThan(0);
    }
    const folded = data.persons.find((p) => p.variant === 'umlautFolded');
    const original = ct.get(folded?.ctIds[0] ?? -1);
    expect(`${original?.firstName} ${original?.lastName}`).toMatch(/[äöüß]/);
    expect(`${folded?.firstName} ${folded?.lastName}`).not.toMatch(/[äöüß]/);
  });

  it('mostly gives ChurchTools members the category 150: Mitglieder', () => {
    const members = data.persons.filter((p) => p.ctIds.length === 1 && ct.get(p.ctIds[0] ?? -1)?.statusId === STATUS_MITGLIED);
    const with150 = members.filter((p) => p.categoryIds.includes(CATEGORY.mitglieder));
    expect(with150.length / members.length).toBeGreaterThan(0.75);
    expect(with150.length).toBeLessThan(members.length);
  });

  it('has Donor 0, the Muster couple, and about 150 donations in 2026 on the ChurchTools account numbers', () => {
    expect(data.persons.find((p) => p.nr === 0)?.variant).toBe('donor0');
    expect(data.persons.find((p) => p.firstName === 'Max und Erika')?.lastName).toBe('Muster');
    const donationAccounts = new Set(demoFinance().accounts.filter((a) => a.isDonationAccount).map((a) => Number(a.number)));
    const donations = data.bookings.filter((b) => b.fiscalYear === 2026 && donationAccounts.has(b.credit.account));
    expect(donations.length).toBeGreaterThanOrEqual(130);
    expect(donations.length).toBeLessThanOrEqual(180);
    const nrs = new Set(data.persons.map((p) => p.nr));
    expect(donations.every((b) => nrs.has(b.credit.subAccount))).toBe(true);
    expect(donations.filter((b) => b.credit.subAccount === 0).length).toBeGreaterThan(0);
  });
});

describe('Optigem demo finance against the ChurchTools demo (issue #11)', () => {
  const finance = demoFinance();
  const ctPersons = demoPersons();
  const numberOf = new Map(finance.accounts.map((a) => [a.id, Number(a.number)]));
  const costCentreNumber = new Map(finance.costCenters.map((c) => [c.id, Number(c.number)]));
  const donationAccountIds = new Set(finance.accounts.filter((a) => a.isDonationAccount).map((a) => a.id));
  const cashAccountIds = new Set(finance.accounts.filter((a) => a.accountGroupId === 1).map((a) => a.id));
  const og2026 = data.bookings.filter((b) => b.fiscalYear === 2026);
  const ogByDocument = new Map(og2026.map((b) => [b.documentNumber, b]));
  const nrOf = (ctId: number): number | undefined => data.persons.find((p) => p.ctIds.includes(ctId))?.nr;

  it('books donations as ChurchTools does: Konto (accountId) the bank, Gegenkonto (contraAccountId) the donation account', () => {
    for (const t of finance.transactions) {
      if (t.donatorId !== null) {
        expect(donationAccountIds.has(t.contraAccountId), t.documentNumber).toBe(true);
        expect(donationAccountIds.has(t.accountId), t.documentNumber).toBe(false);
        // Only a waiver moves no money: its Konto is the expense waived.
        expect(cashAccountIds.has(t.accountId) || t.isWaiverOfReimbursementOfExpenses, t.documentNumber).toBe(true);
      }
    }
    // An expense: Konto the bookkeeping account, Gegenkonto the bank.
    const expenses = finance.transactions.filter((t) => t.note === 'Nebenkosten Gemeindehaus');
    expect(expenses.length).toBeGreaterThan(0);
    expect(expenses.every((t) => !cashAccountIds.has(t.accountId) && cashAccountIds.has(t.contraAccountId))).toBe(true);
  });

  it('mirrors 2026 in Optigem: Soll = accountId, Haben = contraAccountId, the project on non-cash sides, the donor on the donation side', () => {
    let mirrored = 0;
    for (const t of finance.transactions) {
      const og = ogByDocument.get(t.documentNumber);
      if (og === undefined) continue;
      mirrored++;
      expect(og.date).toBe(t.documentDate);
      expect(og.amountCents).toBe(t.amount);
      expect(og.debit.account).toBe(numberOf.get(t.accountId));
      expect(og.credit.account).toBe(numberOf.get(t.contraAccountId));
      const project = t.costCenterId === null ? 0 : costCentreNumber.get(t.costCenterId);
      for (const [side, accountId] of [[og.debit, t.accountId], [og.credit, t.contraAccountId]] as const) {
        expect(side.project, t.documentNumber).toBe(cashAccountIds.has(accountId) ? 0 : project);
        expect(side.subAccount, t.documentNumber).toBe(donationAccountIds.has(accountId) ? nrOf(t.donatorId ?? -1) : 0);
      }
      expect(og.text).toBe(FINANCE_TEXT_DIFFERENCES[t.documentNumber] ?? t.note);
      expect(og.waiver).toBe(t.isWaiverOfReimbursementOfExpenses);
    }
    expect(mirrored).toBeGreaterThan(140);
  });

  it('has bookings only in ChurchTools (export): November, and donors Optigem does not know', () => {
    const ctOnly = finance.transactions.filter((t) => !ogByDocument.has(t.documentNumber));
    expect(ctOnly.filter((t) => t.documentDate > OPTIGEM_BOOKED_UNTIL).length).toBeGreaterThan(0);
    expect(ctOnly.every((t) => t.documentDate > OPTIGEM_BOOKED_UNTIL || nrOf(t.donatorId ?? -1) === undefined)).toBe(true);
  });

  it('has bookings only in Optigem (import): donors ChurchTools lacks, Donor 0, bank charges and a waiver of a ChurchTools donor', () => {
    const ogOnly = og2026.filter((b) => b.documentNumber.startsWith('OG-'));
    const optigemOnlyNrs = new Set(data.persons.filter((p) => p.variant === 'optigemOnly').map((p) => p.nr));
    expect(ogOnly.some((b) => optigemOnlyNrs.has(b.credit.subAccount))).toBe(true);
    expect(ogOnly.filter((b) => b.credit.subAccount === 0 && b.credit.account >= 8000 && b.credit.account < 8500).length).toBeGreaterThan(0);
    expect(ogOnly.some((b) => b.text === 'Kontoführungsgebühren' && b.debit.project === 100 && b.credit.project === 0)).toBe(true);
    const waiver = ogOnly.find((b) => b.waiver);
    expect(data.persons.find((p) => p.nr === waiver?.credit.subAccount)?.ctIds.length).toBe(1);
  });

  it('has a couple donation: one Optigem couple record, linkable to the husband by name, for donatorId + donatorSpouseId', () => {
    const { husbandId, wifeId } = finance.couple;
    const husband = ctPersons.find((p) => p.id === husbandId);
    expect(demoRelationships().some((r) => r.relationshipTypeId === RELATIONSHIP_SPOUSE && r.personAId === husbandId && r.personBId === wifeId)).toBe(true);
    const record = data.persons.find((p) => p.ctIds.includes(husbandId));
    expect(record).toMatchObject({ ctIds: [husbandId, wifeId], firstName: husband?.firstName, lastName: husband?.lastName });
    expect(coupleDetector()(record?.nr ?? 0, record ?? { firstName: null, salutation: null, letterSalutation: null })).toMatchObject({ firstNames: [husband?.firstName], confidence: 'medium', reason: 'salutation' });
    expect(ctPersons.filter((p) => p.firstName === husband?.firstName && p.lastName === husband?.lastName)).toHaveLength(1);
    const together = finance.transactions.filter((t) => t.donatorId === husbandId && t.donatorSpouseId === wifeId);
    expect(together.length).toBeGreaterThan(0);
    expect(finance.transactions.filter((t) => [husbandId, wifeId].includes(t.donatorId ?? -1))).toEqual(together);
    for (const t of together) expect(ogByDocument.get(t.documentNumber)?.credit.subAccount).toBe(record?.nr);
  });

  it('has immutable ChurchTools bookings, one of them typed differently in Optigem, and texts that differ slightly', () => {
    const immutable = finance.transactions.filter((t) => t.isImmutable);
    expect(immutable.length).toBeGreaterThan(0);
    const differing = Object.keys(FINANCE_TEXT_DIFFERENCES).map((doc) => finance.transactions.find((t) => t.documentNumber === doc));
    expect(differing.some((t) => t?.isImmutable)).toBe(true);
    for (const t of differing) {
      expect(t).toBeDefined();
      expect(FINANCE_TEXT_DIFFERENCES[t?.documentNumber ?? '']?.startsWith(t?.note ?? '-')).toBe(true);
      expect(ogByDocument.get(t?.documentNumber ?? '')?.text).not.toBe(t?.note);
    }
  });

  it('has a waiver donation in both systems', () => {
    const waiver = finance.transactions.filter((t) => t.isWaiverOfReimbursementOfExpenses);
    expect(waiver).toHaveLength(1);
    expect(ogByDocument.get(waiver[0]?.documentNumber ?? '')?.waiver).toBe(true);
  });
});
