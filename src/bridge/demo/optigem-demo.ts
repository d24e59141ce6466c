/**
 * Optigem demo data, derived from the ChurchTools demo parish (parish.ts) so that the two systems
 * overlap the way real ones do: most adults appear in both with identical name, e-mail and
 * birthday, but some are spelt with folded umlauts (Müller ↔ Mueller), have another e-mail,
 * lack a birthday on one side, or exist on one side only. Some spouses are one Optigem couple
 * record ("Max und Erika Muster"), Donor 0 exists and has bookings, members mostly carry category
 * "150: Mitglieder".
 *
 * Fiscal year 2026 mirrors the ChurchTools demo finance (same account, project and document
 * numbers; Soll = `accountId`, Haben = `contraAccountId`, issue #11), with one deliberate difference for each
 * transaction action (see OPTIGEM_BOOKED_UNTIL, FINANCE_TEXT_DIFFERENCES and the finance section of
 * dev/standin/README.md); 2025 is closed.
 *
 * Deterministic: a seeded PRNG only, so numbers and names are the same on every run.
 */
import type { Database } from 'better-sqlite3';
import type { PersonData } from '../../optigem/schemas.ts';
import { DEFAULT_NAMES, q } from '../store/sqlite/names.ts';
import type { OptigemNames } from '../store/sqlite/names.ts';
import { createOptigemSchema } from '../store/sqlite/schema.ts';
import { DEFAULT_WAIVER_DONATION_KIND } from '../store/sqlite/store.ts';
import { DEFAULT_GENDER_CODES, centsToDb, genderToDb } from '../store/sqlite/values.ts';
import {
  DEMO_PARISH_NAME,
  RELATIONSHIP_SPOUSE,
  SEX_FEMALE,
  SEX_MALE,
  STATUS_EHEMALIG,
  STATUS_FREUND,
  STATUS_GAST,
  STATUS_MITGLIED,
  demoFinance,
  demoPersons,
  demoRelationships,
} from './parish.ts';
import type { DemoPerson } from './parish.ts';

export const CATEGORY = {
  spender: 100,
  mitglieder: 150,
  freunde: 160,
  gaeste: 170,
  ehemalige: 180,
  rundbrief: 300,
  jahresbestaetigung: 310,
  archiviert: 999,
} as const;

export interface OptigemDemoCategory {
  id: number;
  name: string;
  prefix: string | null;
}

/** How an Optigem demo person relates to the ChurchTools demo (for tests and the demo guide). */
export type DemoVariant =
  | 'exact'
  | 'umlautFolded'
  | 'otherEmail'
  | 'birthdayMissingInOptigem'
  | 'birthdayOnlyInOptigem'
  | 'movedHouse'
  | 'couple'
  | 'optigemOnly'
  | 'donor0';

export interface OptigemDemoPerson extends PersonData {
  nr: number;
  archived: boolean;
  variant: DemoVariant;
  /** The ChurchTools demo person(s) this record stands for. */
  ctIds: number[];
}

export interface OptigemDemoBooking {
  fiscalYear: number;
  date: string;
  debit: { account: number; subAccount: number; project: number };
  credit: { account: number; subAccount: number; project: number };
  amountCents: number;
  text: string;
  documentType: string;
  documentNumber: string;
  donationDate: string | null;
  /** Zuwendungsart "Verzicht auf Erstattung von Aufwendungen". */
  waiver: boolean;
}

export interface OptigemDemoData {
  mandantName: string;
  categories: OptigemDemoCategory[];
  persons: OptigemDemoPerson[];
  fiscalYears: { year: number; start: string; end: string; closed: boolean }[];
  accounts: { year: number; number: number; name: string; type: string }[];
  projects: { year: number; number: number; name: string }[];
  bookings: OptigemDemoBooking[];
}

const CATEGORIES: OptigemDemoCategory[] = [
  { id: CATEGORY.spender, name: 'Spender', prefix: null },
  { id: CATEGORY.mitglieder, name: 'Mitglieder', prefix: 'Gemeinde.' },
  { id: CATEGORY.freunde, name: 'Freunde', prefix: 'Gemeinde.' },
  { id: CATEGORY.gaeste, name: 'Gäste', prefix: 'Gemeinde.' },
  { id: CATEGORY.ehemalige, name: 'Ehemalige', prefix: 'Gemeinde.' },
  { id: CATEGORY.rundbrief, name: 'Rundbrief', prefix: 'Versand.' },
  { id: CATEGORY.jahresbestaetigung, name: 'Jahresbestätigung', prefix: 'Versand.' },
  { id: CATEGORY.archiviert, name: 'Archiviert', prefix: null },
];

/** mulberry32, as in parish.ts: tiny, seeded, identical everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** DIN 5007-2 folding, the way many Optigem installations were typed in. */
function foldUmlauts(s: string): string {
  return s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss');
}

const hasUmlaut = (s: string): boolean => /[äöüÄÖÜß]/.test(s);
const isAdult = (p: DemoPerson): boolean => p.birthday === null || p.birthday < '2006';
const orNull = (s: string): string | null => (s === '' ? null : s);

function blankPerson(): PersonData {
  return {
    salutation: null,
    title: null,
    firstName: null,
    lastName: null,
    letterSalutation: null,
    street: null,
    addressAddition: null,
    zip: null,
    city: null,
    country: null,
    phoneEvening: null,
    mobile: null,
    fax: null,
    email: null,
    birthday: null,
    membershipStart: null,
    membershipEnd: null,
    gender: null,
    categoryIds: [],
  };
}

const OPTIGEM_ONLY: { first: string; last: string; sex: 'male' | 'female'; street: string; zip: string; city: string; email: string | null; birthday: string | null }[] = [
  { first: 'Gertrud', last: 'Hahnemann', sex: 'female', street: 'Am Kurpark 4', zip: '72250', city: 'Freudenstadt', email: null, birthday: '1941-06-02' },
  { first: 'Friedrich', last: 'Oberländer', sex: 'male', street: 'Talweg 17', zip: '72070', city: 'Tübingen', email: 'f.oberlaender@example.net', birthday: '1952-11-23' },
  { first: 'Heinrich', last: 'Sattler', sex: 'male', street: 'Marktplatz 2', zip: '71634', city: 'Ludwigsburg', email: null, birthday: null },
  { first: 'Elisabeth', last: 'Graf', sex: 'female', street: 'Birkenweg 9', zip: '70199', city: 'Stuttgart', email: 'elisabeth.graf@example.com', birthday: '1960-02-14' },
  { first: 'Wilhelm', last: 'Brückner', sex: 'male', street: 'Bergstraße 41', zip: '73728', city: 'Esslingen am Neckar', email: null, birthday: '1938-09-30' },
  { first: 'Irmgard', last: 'Seeger', sex: 'female', street: 'Uhlandstraße 12', zip: '70182', city: 'Stuttgart', email: 'irmgard.seeger@example.org', birthday: null },
  { first: 'Konrad', last: 'Eberle', sex: 'male', street: 'Hohe Straße 3', zip: '72764', city: 'Reutlingen', email: 'k.eberle@example.net', birthday: '1970-05-05' },
  { first: 'Margarete', last: 'Völker', sex: 'female', street: 'Lindenallee 22', zip: '71032', city: 'Böblingen', email: null, birthday: '1947-12-01' },
  { first: 'Ruth', last: 'Nägele', sex: 'female', street: 'Schulstraße 8', zip: '73760', city: 'Ostfildern', email: 'ruth.naegele@example.com', birthday: '1958-03-19' },
  { first: 'Simon', last: 'Albrecht', sex: 'male', street: 'Neue Weinsteige 60', zip: '70180', city: 'Stuttgart', email: 'simon.albrecht@example.org', birthday: '1988-08-08' },
  { first: 'Hildegard', last: 'Rapp', sex: 'female', street: 'Kelterstraße 5', zip: '70771', city: 'Leinfelden-Echterdingen', email: null, birthday: '1944-04-27' },
  { first: 'Emil', last: 'Schöttle', sex: 'male', street: 'Am Bach 1', zip: '70597', city: 'Stuttgart', email: 'emil.schoettle@example.net', birthday: '1979-10-10' },
];

/**
 * ChurchTools bookings Optigem does not have yet: the treasurer books November next month.
 * Together with bookings of donors Optigem does not know, they are what "export" creates.
 */
export const OPTIGEM_BOOKED_UNTIL = '2026-10-31';

/**
 * Bookings typed a little differently in Optigem than in ChurchTools (ChurchTools document number
 * → Optigem text), so "link" does not pair them and "update properties" could align them once
 * they are paired by hand. The first is a January booking, immutable in ChurchTools.
 */
export const FINANCE_TEXT_DIFFERENCES: Readonly<Record<string, string>> = {
  '2026-0001': 'Dauerauftrag Spende Januar',
  '2026-0050': 'Nebenkosten Gemeindehaus März',
  '2026-0095': 'Kollekte Gottesdienst 07.06.',
};

/** Builds the demo data; pure and deterministic. */
export function optigemDemoData(): OptigemDemoData {
  const rnd = prng(20261120);
  const chance = (p: number): boolean => rnd() < p;
  const ct = demoPersons();
  const finance = demoFinance();
  const byId = new Map(ct.map((p) => [p.id, p]));
  const donorIds = new Set(finance.transactions.flatMap((t) => (t.donatorId === null ? [] : [t.donatorId])));

  const persons: OptigemDemoPerson[] = [];
  /** ChurchTools person id → Optigem Nr (both spouses of a couple record map to the same Nr). */
  const nrOfCt = new Map<number, number>();
  let nextNr = 1001;

  persons.push({
    ...blankPerson(),
    nr: 0,
    firstName: null,
    lastName: 'Spender 0 (anonym)',
    archived: false,
    variant: 'donor0',
    ctIds: [],
  });

  const statusCategories = (p: DemoPerson): number[] => {
    const ids: number[] = [];
    if (p.statusId === STATUS_MITGLIED && !chance(0.1)) ids.push(CATEGORY.mitglieder);
    if (p.statusId !== STATUS_MITGLIED && chance(0.03)) ids.push(CATEGORY.mitglieder);
    if (p.statusId === STATUS_FREUND && chance(0.7)) ids.push(CATEGORY.freunde);
    if (p.statusId === STATUS_GAST && chance(0.5)) ids.push(CATEGORY.gaeste);
    if (p.statusId === STATUS_EHEMALIG) ids.push(CATEGORY.ehemalige);
    if (donorIds.has(p.id)) ids.push(CATEGORY.spender, CATEGORY.jahresbestaetigung);
    if (chance(0.3)) ids.push(CATEGORY.rundbrief);
    return [...new Set(ids)].sort((a, b) => a - b);
  };
  const membershipStart = (p: DemoPerson): string | null =>
    p.statusId === STATUS_MITGLIED ? `${1985 + Math.floor(rnd() * 40)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-01` : null;

  // Couple records: some married pairs are one Optigem record, as Optigem users often keep them.
  const coupled = new Set<number>();
  const spousePairs = demoRelationships().filter((r) => r.relationshipTypeId === RELATIONSHIP_SPOUSE);
  for (const pair of spousePairs) {
    const a = byId.get(pair.personAId);
    const b = byId.get(pair.personBId);
    if (!a || !b || !isAdult(a) || !isAdult(b) || a.isArchived || b.isArchived || a.lastName !== b.lastName) continue;
    if (coupled.size >= 16 || !chance(0.3)) continue;
    const [husband, wife] = a.sexId === SEX_MALE ? [a, b] : [b, a];
    const nr = nextNr++;
    coupled.add(a.id).add(b.id);
    nrOfCt.set(a.id, nr).set(b.id, nr);
    persons.push({
      ...blankPerson(),
      nr,
      salutation: 'Herr und Frau',
      firstName: `${husband.firstName} und ${wife.firstName}`,
      lastName: husband.lastName,
      letterSalutation: `Liebe Familie ${husband.lastName}`,
      street: husband.street,
      zip: husband.zip,
      city: husband.city,
      country: 'Deutschland',
      phoneEvening: orNull(husband.phonePrivate),
      email: orNull(husband.email) ?? orNull(wife.email),
      categoryIds: [...new Set([...statusCategories(husband), ...statusCategories(wife)])].sort((x, y) => x - y),
      archived: false,
      variant: 'couple',
      ctIds: [husband.id, wife.id],
    });
  }

  for (const p of ct) {
    if (!isAdult(p) || coupled.has(p.id)) continue;
    // A few ChurchTools people are not in Optigem (yet); donors almost always are.
    if (chance(donorIds.has(p.id) ? 0.02 : 0.08)) continue;
    let variant: DemoVariant = 'exact';
    let firstName = p.firstName;
    let lastName = p.lastName;
    let email = orNull(p.email);
    let birthday = p.birthday;
    let street = p.street;
    // Most people match exactly; each kind of difference gets a small slice.
    const roll = rnd();
    if (hasUmlaut(firstName + lastName) && rnd() < 0.4) {
      variant = 'umlautFolded';
      firstName = foldUmlauts(firstName);
      lastName = foldUmlauts(lastName);
    } else if (birthday === null && roll < 0.6) {
      variant = 'birthdayOnlyInOptigem';
      birthday = `${1950 + Math.floor(rnd() * 40)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`;
    } else if (roll < 0.1 && email !== null && !donorIds.has(p.id)) {
      // Donors are spared: their bookings need them linked, and another e-mail rules a match out.
      variant = 'otherEmail';
      email = email.replace(/@.*$/, '@alt-example.de');
    } else if (roll >= 0.1 && roll < 0.18 && birthday !== null) {
      variant = 'birthdayMissingInOptigem';
      birthday = null;
    } else if (roll >= 0.18 && roll < 0.23) {
      variant = 'movedHouse';
      street = `Neue Straße ${1 + Math.floor(rnd() * 80)}`;
    }
    const female = p.sexId === SEX_FEMALE;
    const nr = nextNr++;
    nrOfCt.set(p.id, nr);
    persons.push({
      ...blankPerson(),
      nr,
      salutation: p.sexId === SEX_MALE ? 'Herr' : female ? 'Frau' : null,
      title: chance(0.04) ? 'Dr.' : null,
      firstName,
      lastName,
      letterSalutation: p.sexId === SEX_MALE ? `Lieber ${firstName}` : female ? `Liebe ${firstName}` : `Hallo ${firstName}`,
      gender: p.sexId === SEX_MALE ? 'male' : female ? 'female' : null,
      street,
      zip: p.zip,
      city: p.city,
      country: 'Deutschland',
      phoneEvening: orNull(p.phonePrivate),
      mobile: orNull(p.mobile),
      email,
      birthday,
      membershipStart: membershipStart(p),
      categoryIds: statusCategories(p),
      // Former members archived in ChurchTools are mostly archived in Optigem too.
      archived: p.isArchived && chance(0.7),
      variant,
      ctIds: [p.id],
    });
  }

  const optigemOnlyNrs: number[] = [];
  for (const o of OPTIGEM_ONLY) {
    const nr = nextNr++;
    optigemOnlyNrs.push(nr);
    persons.push({
      ...blankPerson(),
      nr,
      salutation: o.sex === 'male' ? 'Herr' : 'Frau',
      firstName: o.first,
      lastName: o.last,
      letterSalutation: o.sex === 'male' ? `Lieber Herr ${o.last}` : `Liebe Frau ${o.last}`,
      gender: o.sex,
      street: o.street,
      zip: o.zip,
      city: o.city,
      country: 'Deutschland',
      email: o.email,
      birthday: o.birthday,
      // Friends of the parish, so the example person job (docs/job-format.md) imports them before their donations.
      categoryIds: [CATEGORY.spender, CATEGORY.freunde, CATEGORY.jahresbestaetigung, CATEGORY.rundbrief],
      archived: false,
      variant: 'optigemOnly',
      ctIds: [],
    });
  }
  const muster = nextNr++;
  optigemOnlyNrs.push(muster);
  persons.push({
    ...blankPerson(),
    nr: muster,
    salutation: 'Herr und Frau',
    firstName: 'Max und Erika',
    lastName: 'Muster',
    letterSalutation: 'Liebe Familie Muster',
    street: 'Musterweg 1',
    zip: '70597',
    city: 'Stuttgart',
    country: 'Deutschland',
    email: 'familie.muster@example.org',
    // Friends of the parish: the example person job (docs/job-format.md) imports them, split into two spouses.
    categoryIds: [CATEGORY.spender, CATEGORY.freunde, CATEGORY.jahresbestaetigung],
    archived: false,
    variant: 'couple',
    ctIds: [],
  });

  // The couple that gives together is one record named like the husband, with an Anrede for two:
  // the bridge flags it as a couple, and person matching links it to him by name (so his spouse
  // stays a ChurchTools-only person, as after ChurchTools' own Optigem import). It replaces the
  // spouses' records made above; doing that afterwards keeps everyone else's data as it was.
  const husband = byId.get(finance.couple.husbandId);
  const wife = byId.get(finance.couple.wifeId);
  if (!husband || !wife) throw new Error('parish.ts names a couple that does not exist');
  for (let i = persons.length - 1; i >= 0; i--) {
    if (persons[i]?.ctIds.some((id) => id === husband.id || id === wife.id)) persons.splice(i, 1);
  }
  const coupleNr = nextNr++;
  nrOfCt.set(husband.id, coupleNr).set(wife.id, coupleNr);
  persons.push({
    ...blankPerson(),
    nr: coupleNr,
    salutation: 'Herr und Frau',
    firstName: husband.firstName,
    lastName: husband.lastName,
    letterSalutation: `Liebe Familie ${husband.lastName}`,
    street: husband.street,
    zip: husband.zip,
    city: husband.city,
    country: 'Deutschland',
    phoneEvening: orNull(husband.phonePrivate),
    email: orNull(husband.email),
    categoryIds: [...new Set([...statusCategories(husband), ...statusCategories(wife), CATEGORY.spender, CATEGORY.jahresbestaetigung])].sort((x, y) => x - y),
    archived: false,
    variant: 'couple',
    ctIds: [husband.id, wife.id],
  });

  // --- finance: 2026 mirrors ChurchTools; 2025 is an older, closed year -----------------------
  const accountNumber = new Map(finance.accounts.map((a) => [a.id, Number(a.number)]));
  const projectNumber = new Map(finance.costCenters.map((c) => [c.id, Number(c.number)]));
  const kontoart = (a: (typeof finance.accounts)[number]): string =>
    a.isDonationAccount ? 'Spendenertrag 1' : a.accountGroupId === 1 ? 'Finanzkonto' : a.accountGroupId === 2 ? 'Ertrag' : 'Aufwand';
  const years = [2025, 2026];
  const accounts = years.flatMap((year) => finance.accounts.map((a) => ({ year, number: Number(a.number), name: a.name, type: kontoart(a) })));
  const projects = years.flatMap((year) => finance.costCenters.map((c) => ({ year, number: Number(c.number), name: c.name })));

  const bookings: OptigemDemoBooking[] = [];
  const isCash = new Map(finance.accounts.map((a) => [a.id, a.accountGroupId === 1]));
  const isDonationAccount = new Map(finance.accounts.map((a) => [a.id, a.isDonationAccount]));
  for (const t of finance.transactions) {
    if (t.documentDate > OPTIGEM_BOOKED_UNTIL) continue;
    const project = t.costCenterId === null ? 0 : (projectNumber.get(t.costCenterId) ?? 0);
    let donorNr = 0;
    if (t.donatorId !== null) {
      const nr = nrOfCt.get(t.donatorId);
      if (nr === undefined) continue; // the donor is not in Optigem: a ChurchTools-only booking
      donorNr = nr;
    }
    // Cash and bank sides carry neither project nor sub-account; the donation side carries the donor.
    const side = (accountId: number) => ({
      account: accountNumber.get(accountId) ?? 0,
      subAccount: isDonationAccount.get(accountId) ? donorNr : 0,
      project: isCash.get(accountId) ? 0 : project,
    });
    const contraIsCashBox = accountNumber.get(t.accountId) === 1000 || accountNumber.get(t.contraAccountId) === 1000;
    bookings.push({
      fiscalYear: 2026,
      date: t.documentDate,
      // Issue #11: Soll is ChurchTools' accountId (Konto), Haben its contraAccountId (Gegenkonto).
      debit: side(t.accountId),
      credit: side(t.contraAccountId),
      amountCents: t.amount,
      text: FINANCE_TEXT_DIFFERENCES[t.documentNumber] ?? t.note,
      documentType: contraIsCashBox ? 'KA' : 'BA',
      documentNumber: t.documentNumber,
      donationDate: t.donatorId === null ? null : t.documentDate,
      waiver: t.isWaiverOfReimbursementOfExpenses,
    });
  }

  // Optigem-only donations (donors ChurchTools does not know) and Donor 0 donations.
  let doc = 1;
  type Side = OptigemDemoBooking['debit'];
  const ogBooking = (year: number, date: string, debit: Side, credit: Side, cents: number, text: string, kind: { donation: boolean; waiver?: boolean }): void => {
    bookings.push({
      fiscalYear: year,
      date,
      debit,
      credit,
      amountCents: cents,
      text,
      documentType: 'BA',
      documentNumber: `OG-${year}-${String(doc++).padStart(3, '0')}`,
      donationDate: kind.donation ? date : null,
      waiver: kind.waiver ?? false,
    });
  };
  const donation = (year: number, date: string, donor: number, account: number, project: number, cents: number, text: string): void =>
    ogBooking(year, date, { account: 1200, subAccount: 0, project: 0 }, { account, subAccount: donor, project }, cents, text, { donation: true });
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  for (let i = 0; i < 8; i++) {
    const month = String(1 + Math.floor(rnd() * 10)).padStart(2, '0');
    const day = String(1 + Math.floor(rnd() * 27)).padStart(2, '0');
    const [account, project, text] = pick([
      [8000, 100, 'Spende'],
      [8100, 300, 'Spende Mission'],
      [8200, 400, 'Spende Bauprojekt Gemeindehaus'],
    ] as const);
    donation(2026, `2026-${month}-${day}`, pick(optigemOnlyNrs), account, project, pick([2000, 5000, 10000, 20000, 50000]), text);
  }
  donation(2026, '2026-02-11', 0, 8000, 100, 5000, 'Spende ohne Namen (Bareinzahlung)');
  donation(2026, '2026-04-03', 0, 8000, 100, 2000, 'Spende Sammelbüchse');
  donation(2026, '2026-06-21', 0, 8100, 300, 15000, 'Spende Mission, Spender unbekannt');
  donation(2026, '2026-09-14', 0, 8000, 100, 3000, 'Spende ohne Namen');
  for (let i = 0; i < 18; i++) {
    const month = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
    donation(2025, `2025-${month}-15`, pick([...optigemOnlyNrs, ...[...nrOfCt.values()].slice(0, 20)]), 8000, 100, pick([2500, 5000, 10000]), 'Spende');
  }
  donation(2025, '2025-12-24', 0, 8000, 100, 12000, 'Kollekte Heiligabend (Spender 0)');
  donation(2025, '2025-03-09', 0, 8100, 300, 4000, 'Spende ohne Namen');
  // Optigem-only bookings without donor (bank charges the treasurer books from the statement),
  // and a waiver of a ChurchTools donor that ChurchTools lacks: "import" creates them there.
  for (const date of ['2026-03-31', '2026-06-30', '2026-09-30']) {
    ogBooking(2026, date, { account: 4900, subAccount: 0, project: 100 }, { account: 1200, subAccount: 0, project: 0 }, 1250, 'Kontoführungsgebühren', { donation: false });
  }
  const waiverDonor = finance.transactions.find((t) => t.isWaiverOfReimbursementOfExpenses)?.donatorId;
  const waiverDonorNr = waiverDonor === undefined || waiverDonor === null ? undefined : nrOfCt.get(waiverDonor);
  if (waiverDonorNr === undefined) throw new Error('the waiver donor of parish.ts is not in Optigem');
  ogBooking(2026, '2026-09-18', { account: 4900, subAccount: 0, project: 200 }, { account: 8000, subAccount: waiverDonorNr, project: 200 }, 4500, 'Aufwandsspende Material Kinderbibeltage', { donation: true, waiver: true });

  bookings.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.documentNumber < b.documentNumber ? -1 : 1));

  return {
    mandantName: DEMO_PARISH_NAME,
    categories: CATEGORIES,
    persons,
    fiscalYears: [
      { year: 2025, start: '2025-01-01', end: '2025-12-31', closed: true },
      { year: 2026, start: '2026-01-01', end: '2026-12-31', closed: false },
    ],
    accounts,
    projects,
    bookings,
  };
}

/** Creates the Optigem-like tables in `db` and fills them with the demo data. */
export function fillOptigemDemo(db: Database, data: OptigemDemoData = optigemDemoData(), names: OptigemNames = DEFAULT_NAMES): void {
  createOptigemSchema(db, names);
  const insert = (table: string, row: Record<string, string | number | null>): void => {
    const columns = Object.keys(row);
    db.prepare(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
  };
  db.transaction(() => {
    const m = names.mandantOptions;
    insert(m.table, { [m.key]: m.nameKey, [m.value]: data.mandantName });
    const c = names.categories;
    for (const category of data.categories) insert(c.table, { [c.id]: category.id, [c.name]: category.name, [c.prefix]: category.prefix });
    const p = names.persons;
    const a = names.categoryAssignments;
    for (const person of data.persons) {
      const row: Record<string, string | number | null> = { [p.nr]: person.nr };
      for (const [field, column] of Object.entries(p.columns)) {
        if (column === null) continue;
        const value = person[field as keyof PersonData];
        row[column] = field === 'gender' ? genderToDb(person.gender, DEFAULT_GENDER_CODES) : (value as string | null);
      }
      insert(p.table, row);
      const ids = person.archived ? [...person.categoryIds, CATEGORY.archiviert] : person.categoryIds;
      for (const id of ids) insert(a.table, { [a.personNr]: person.nr, [a.categoryId]: id });
    }
    const f = names.fiscalYears;
    for (const y of data.fiscalYears) insert(f.table, { [f.year]: y.year, [f.start]: y.start, [f.end]: y.end, [f.closed]: y.closed ? 1 : 0 });
    const k = names.accounts;
    for (const acc of data.accounts) insert(k.table, { [k.year]: acc.year, [k.number]: acc.number, [k.name]: acc.name, [k.type]: acc.type });
    const pr = names.projects;
    for (const proj of data.projects) insert(pr.table, { [pr.year]: proj.year, [pr.number]: proj.number, [pr.name]: proj.name });
    const b = names.bookings;
    for (const booking of data.bookings) {
      insert(b.table, {
        [b.year]: booking.fiscalYear,
        [b.date]: booking.date,
        [b.debitAccount]: booking.debit.account,
        [b.debitSubAccount]: booking.debit.subAccount,
        [b.debitProject]: booking.debit.project,
        [b.creditAccount]: booking.credit.account,
        [b.creditSubAccount]: booking.credit.subAccount,
        [b.creditProject]: booking.credit.project,
        [b.amount]: centsToDb(booking.amountCents),
        [b.text]: booking.text,
        [b.documentType]: booking.documentType,
        [b.documentNumber]: booking.documentNumber,
        [b.donationDate]: booking.donationDate,
        [b.enteredAt]: booking.date,
        ...(b.waiver === null ? {} : { [b.waiver]: booking.waiver ? DEFAULT_WAIVER_DONATION_KIND : null }),
      });
    }
  })();
}
