import { describe, expect, it } from 'vitest';
import { CATEGORY, optigemDemoData } from '../../dev/demo/optigem-demo.ts';
import { STATUS_MITGLIED, demoFinance, demoPersons } from '../../dev/demo/parish.ts';

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
