/**
 * Demo data of a fictional German parish ("Ev. Kirchengemeinde Lindenhöhe").
 *
 * Shared by the ChurchTools stand-in (dev/standin) and the Optigem demo data, so both systems start
 * from the same people and bookings. Everything is deterministic: the only randomness is a seeded PRNG,
 * so ids, names and amounts are identical on every run and every machine (tests may rely on them).
 *
 * Ids follow ChurchTools' conventions as far as they are known: sexes 0–3 like a default installation,
 * statuses/family statuses with small ids. The family-status ids are [I] (ChurchTools' table
 * `cdb_familienstand` is not documented in the REST spec).
 */

export interface DemoPerson {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  birthday: string | null;
  sexId: number;
  statusId: number;
  familyStatusId: number;
  campusId: number;
  departmentIds: number[];
  street: string;
  zip: string;
  city: string;
  mobile: string;
  phonePrivate: string;
  isArchived: boolean;
}

export interface DemoStatus {
  id: number;
  name: string;
  shorty: string;
  isMember: boolean;
}
export interface DemoNamed {
  id: number;
  name: string;
}
export interface DemoCampus extends DemoNamed {
  shorty: string;
}
export interface DemoRelationshipType {
  id: number;
  name: string;
  degreeNameA: string;
  degreeNameB: string;
}
/** A relationship between two demo people; for parent/child, A is the parent. */
export interface DemoRelationship {
  id: number;
  personAId: number;
  personBId: number;
  relationshipTypeId: number;
}
export interface DemoGroup {
  id: number;
  name: string;
  groupTypeId: number;
  memberIds: number[];
}

export const DEMO_STATUSES: DemoStatus[] = [
  { id: 1, name: 'Mitglied', shorty: 'M', isMember: true },
  { id: 2, name: 'Freund', shorty: 'F', isMember: false },
  { id: 3, name: 'Gast', shorty: 'G', isMember: false },
  { id: 4, name: 'Optigem', shorty: 'O', isMember: false },
  { id: 5, name: 'Ehemalig', shorty: 'E', isMember: false },
];
export const STATUS_MITGLIED = 1;
export const STATUS_FREUND = 2;
export const STATUS_GAST = 3;
export const STATUS_OPTIGEM = 4;
export const STATUS_EHEMALIG = 5;

export const DEMO_SEXES: DemoNamed[] = [
  { id: 0, name: 'unbekannt' },
  { id: 1, name: 'männlich' },
  { id: 2, name: 'weiblich' },
  { id: 3, name: 'divers' },
];
export const SEX_UNKNOWN = 0;
export const SEX_MALE = 1;
export const SEX_FEMALE = 2;

export const DEMO_FAMILY_STATUSES: DemoNamed[] = [
  { id: 0, name: 'unbekannt' },
  { id: 1, name: 'ledig' },
  { id: 2, name: 'verheiratet' },
  { id: 3, name: 'verwitwet' },
  { id: 4, name: 'geschieden' },
];
export const FAMILY_UNKNOWN = 0;
export const FAMILY_SINGLE = 1;
export const FAMILY_MARRIED = 2;
export const FAMILY_WIDOWED = 3;
export const FAMILY_DIVORCED = 4;

export const DEMO_CAMPUSES: DemoCampus[] = [{ id: 1, name: 'Gemeindezentrum', shorty: 'GZ' }];
export const DEMO_DEPARTMENTS: DemoNamed[] = [
  { id: 1, name: 'Gemeinde' },
  { id: 2, name: 'Optigem' },
];
export const DEPARTMENT_GEMEINDE = 1;
export const DEPARTMENT_OPTIGEM = 2;

export const DEMO_RELATIONSHIP_TYPES: DemoRelationshipType[] = [
  { id: 1, name: 'Elternteil/Kind', degreeNameA: 'Elternteil', degreeNameB: 'Kind' },
  { id: 2, name: 'Ehepartner', degreeNameA: 'Ehepartner', degreeNameB: 'Ehepartner' },
];
export const RELATIONSHIP_PARENT_CHILD = 1;
export const RELATIONSHIP_SPOUSE = 2;

export const DEMO_PARISH_NAME = 'Ev. Kirchengemeinde Lindenhöhe';

/** The demo administrator: person 1 in ChurchTools, not part of demoPersons() (it is no parish member). */
export const DEMO_ADMIN = {
  id: 1,
  firstName: 'Demo',
  lastName: 'Admin',
  email: 'admin@example.org',
  username: 'admin@example.org',
  password: 'demo',
  loginToken: 'demoLoginToken0123456789abcdefDEMOadminTOKEN',
} as const;

// --- deterministic generator ----------------------------------------------------------------

/** mulberry32: tiny seeded PRNG, good enough for demo data and identical on every platform. */
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

class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from empty list');
    return item;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

const MALE_NAMES = [
  'Thomas', 'Michael', 'Andreas', 'Stefan', 'Peter', 'Klaus', 'Jürgen', 'Wolfgang', 'Matthias', 'Martin',
  'Frank', 'Markus', 'Christian', 'Uwe', 'Jörg', 'Bernd', 'Dieter', 'Günter', 'Horst', 'Ralf',
  'Tobias', 'Jonas', 'Lukas', 'Felix', 'Maximilian', 'Paul', 'Elias', 'Noah', 'Ben', 'Leon',
  'Karl-Heinz', 'Hans-Peter', 'Jan-Hendrik', 'Björn', 'Sören', 'Joachim', 'Reinhard', 'Gerd', 'Timo', 'Daniel',
];
const FEMALE_NAMES = [
  'Sabine', 'Petra', 'Andrea', 'Claudia', 'Susanne', 'Monika', 'Birgit', 'Gabriele', 'Ursula', 'Renate',
  'Katrin', 'Julia', 'Anna', 'Lena', 'Sophie', 'Marie', 'Hannah', 'Emma', 'Mia', 'Lea',
  'Anna-Lena', 'Marie-Luise', 'Hannelore', 'Gisela', 'Brigitte', 'Jutta', 'Käthe', 'Bärbel', 'Jasmin', 'Christiane',
  'Doris', 'Elke', 'Heike', 'Ingrid', 'Karin', 'Miriam', 'Rebekka', 'Ruth', 'Tabea', 'Jana',
];
const LAST_NAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
  'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Werner', 'Krause', 'Lehmann', 'Köhler', 'Herrmann',
  'König', 'Walter', 'Mayer', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Möller', 'Weiß', 'Jung',
  'Hahn', 'Vogel', 'Keller', 'Günther', 'Berger', 'Roth', 'Böhm', 'Jäger', 'Groß', 'Größ',
  'Kühn', 'Strauß', 'Brandt', 'Haas', 'Dietrich', 'Ziegler', 'Engel', 'Seidel', 'Pfeiffer', 'Voß',
  'Müller-Lüdenscheidt', 'Schmidt-Bäumer', 'Meyer-Heßling', 'von Bülow', 'Özdemir', 'Nguyen', 'Kowalski', 'de Vries',
];
const STREETS = [
  'Hauptstraße', 'Kirchweg', 'Lindenstraße', 'Schillerstraße', 'Goethestraße', 'Am Mühlbach', 'Gartenstraße',
  'Bahnhofstraße', 'Weißdornweg', 'Friedrichstraße', 'Schloßstraße', 'Rosenstraße', 'Talstraße', 'Mörikestraße',
  'Uhlandstraße', 'Königsträßle', 'Im Grünen Winkel', 'Fliederweg', 'Ahornstraße', 'Lerchenstraße',
];
const TOWNS: { zip: string; city: string }[] = [
  { zip: '70597', city: 'Stuttgart' },
  { zip: '70597', city: 'Stuttgart' },
  { zip: '70599', city: 'Stuttgart' },
  { zip: '70771', city: 'Leinfelden-Echterdingen' },
  { zip: '73760', city: 'Ostfildern' },
  { zip: '73728', city: 'Esslingen am Neckar' },
  { zip: '71032', city: 'Böblingen' },
];
const MAIL_DOMAINS = ['example.org', 'example.com', 'example.net'];

/** ASCII local part for an e-mail address (DIN 5007-2 folding: ä → ae, ß → ss). */
function mailPart(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9-]+/g, '');
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface Generated {
  persons: DemoPerson[];
  relationships: DemoRelationship[];
  households: number[][];
}

let cached: Generated | undefined;

function generate(): Generated {
  if (cached) return cached;
  const d = new Dice(20260101);
  const persons: DemoPerson[] = [];
  const relationships: DemoRelationship[] = [];
  const households: number[][] = [];
  const usedMails = new Set<string>();
  let nextId = 2; // 1 is the admin
  let nextRelId = 1;
  const TARGET = 300;

  const email = (first: string, last: string): string => {
    const base = `${mailPart(first)}.${mailPart(last)}`;
    let candidate = `${base}@${d.pick(MAIL_DOMAINS)}`;
    let n = 2;
    while (usedMails.has(candidate)) candidate = `${base}${n++}@${d.pick(MAIL_DOMAINS)}`;
    usedMails.add(candidate);
    return candidate;
  };
  const birthday = (fromYear: number, toYear: number, pNull: number): string | null =>
    d.chance(pNull) ? null : isoDate(d.int(fromYear, toYear), d.int(1, 12), d.int(1, 28));
  const mobile = (p: number): string => (d.chance(p) ? `0151 ${d.digits(8)}` : '');

  while (persons.length < TARGET) {
    const lastName = d.pick(LAST_NAMES);
    const town = d.pick(TOWNS);
    const street = `${d.pick(STREETS)} ${d.int(1, 120)}${d.chance(0.1) ? d.pick(['a', 'b']) : ''}`;
    const phonePrivate = d.chance(0.6) ? `0711 ${d.digits(d.int(6, 7))}` : '';
    const roll = d.float();
    const kind = roll < 0.3 ? 'single' : roll < 0.55 ? 'couple' : roll < 0.9 ? 'family' : 'singleParent';
    // Members cluster by household; a few households are friends or guests.
    const statusRoll = d.float();
    const householdStatus = statusRoll < 0.6 ? STATUS_MITGLIED : statusRoll < 0.85 ? STATUS_FREUND : STATUS_GAST;
    const ids: number[] = [];

    const add = (p: Omit<DemoPerson, 'id' | 'campusId' | 'departmentIds' | 'street' | 'zip' | 'city' | 'phonePrivate'>): number => {
      const id = nextId++;
      persons.push({ id, ...p, campusId: 1, departmentIds: [DEPARTMENT_GEMEINDE], street, zip: town.zip, city: town.city, phonePrivate });
      ids.push(id);
      return id;
    };
    const adult = (sexId: number, familyStatusId: number, last: string): number => {
      const firstName = d.pick(sexId === SEX_MALE ? MALE_NAMES : FEMALE_NAMES);
      return add({
        firstName,
        lastName: last,
        email: d.chance(0.85) ? email(firstName, last) : '',
        birthday: birthday(1938, 2000, 0.08),
        sexId,
        statusId: householdStatus,
        familyStatusId,
        mobile: mobile(0.7),
        isArchived: false,
      });
    };
    const child = (last: string): number => {
      const sexId = d.chance(0.5) ? SEX_MALE : SEX_FEMALE;
      const firstName = d.pick(sexId === SEX_MALE ? MALE_NAMES.slice(20, 30) : FEMALE_NAMES.slice(10, 20));
      const bd = birthday(2006, 2022, 0.05);
      const year = bd ? Number(bd.slice(0, 4)) : 2015;
      return add({
        firstName,
        lastName: last,
        email: year <= 2010 && d.chance(0.6) ? email(firstName, last) : '',
        birthday: bd,
        sexId,
        statusId: householdStatus === STATUS_MITGLIED ? STATUS_MITGLIED : STATUS_FREUND,
        familyStatusId: FAMILY_SINGLE,
        mobile: year <= 2010 ? mobile(0.8) : '',
        isArchived: false,
      });
    };
    const couple = (): [number, number] => {
      // Some wives keep a double name, as German couples often do.
      const wifeLast = d.chance(0.12) ? `${lastName}-${d.pick(LAST_NAMES.slice(0, 40))}` : lastName;
      const husband = adult(SEX_MALE, FAMILY_MARRIED, lastName);
      const wife = adult(SEX_FEMALE, FAMILY_MARRIED, wifeLast);
      relationships.push({ id: nextRelId++, personAId: husband, personBId: wife, relationshipTypeId: RELATIONSHIP_SPOUSE });
      return [husband, wife];
    };

    if (kind === 'single') {
      const sexId = d.chance(0.5) ? SEX_MALE : SEX_FEMALE;
      adult(sexId, d.pick([FAMILY_SINGLE, FAMILY_SINGLE, FAMILY_SINGLE, FAMILY_WIDOWED, FAMILY_DIVORCED, FAMILY_UNKNOWN]), lastName);
    } else if (kind === 'couple') {
      couple();
    } else {
      const parents = kind === 'family' ? couple() : [adult(d.chance(0.8) ? SEX_FEMALE : SEX_MALE, d.pick([FAMILY_DIVORCED, FAMILY_WIDOWED, FAMILY_SINGLE]), lastName)];
      const kids = d.int(1, 3);
      for (let k = 0; k < kids; k++) {
        const c = child(lastName);
        for (const p of parents) relationships.push({ id: nextRelId++, personAId: p, personBId: c, relationshipTypeId: RELATIONSHIP_PARENT_CHILD });
      }
    }
    households.push(ids);
  }

  // A few people with unknown sex (e.g. imported without it).
  for (const p of persons.filter((_, i) => i % 97 === 50)) p.sexId = SEX_UNKNOWN;

  // Former members: archived in ChurchTools, status "Ehemalig".
  for (const p of persons.filter((_, i) => i % 37 === 11)) {
    p.isArchived = true;
    p.statusId = STATUS_EHEMALIG;
  }

  // Two different people with the same name (a real duplicate-name case for matching): a second
  // "Thomas Müller" who differs by birthday and e-mail.
  const sameName = (email: string, birthday: string, street: string, zip: string, city: string): DemoPerson => ({
    id: nextId++,
    firstName: 'Thomas',
    lastName: 'Müller',
    email,
    birthday,
    sexId: SEX_MALE,
    statusId: STATUS_FREUND,
    familyStatusId: FAMILY_SINGLE,
    campusId: 1,
    departmentIds: [DEPARTMENT_GEMEINDE],
    street,
    zip,
    city,
    mobile: '',
    phonePrivate: '',
    isArchived: false,
  });
  if (!persons.some((p) => p.firstName === 'Thomas' && p.lastName === 'Müller')) {
    persons.push(sameName('thomas.mueller@example.org', '1971-04-12', 'Lindenstraße 3', '70597', 'Stuttgart'));
  }
  persons.push(sameName('tom.mueller@example.com', '1985-09-30', 'Fliederweg 7', '73760', 'Ostfildern'));

  cached = { persons, relationships, households };
  return cached;
}

/** About 300 parish members, friends and guests. Returns fresh copies: callers may mutate them. */
export function demoPersons(): DemoPerson[] {
  return generate().persons.map((p) => ({ ...p, departmentIds: [...p.departmentIds] }));
}

/** Spouse and parent/child relationships between demo persons. */
export function demoRelationships(): DemoRelationship[] {
  return generate().relationships.map((r) => ({ ...r }));
}

/** Person ids per household (same address and phone), e.g. to build Optigem couple records. */
export function demoHouseholds(): number[][] {
  return generate().households.map((h) => [...h]);
}

/** A few groups, for "member of group" conditions. */
export function demoGroups(): DemoGroup[] {
  const d = new Dice(4711);
  const active = generate().persons.filter((p) => !p.isArchived);
  const adults = active.filter((p) => p.birthday === null || p.birthday < '2004');
  const youth = active.filter((p) => p.birthday !== null && p.birthday >= '2008' && p.birthday < '2013');
  const pickSome = (from: DemoPerson[], n: number): number[] => {
    const ids = new Set<number>();
    while (ids.size < Math.min(n, from.length)) ids.add(d.pick(from).id);
    return [...ids].sort((a, b) => a - b);
  };
  return [
    { id: 1, name: 'Kirchenchor', groupTypeId: 1, memberIds: pickSome(adults, 24) },
    { id: 2, name: 'Jugendkreis', groupTypeId: 1, memberIds: youth.map((p) => p.id) },
    { id: 3, name: 'Hauskreis Nord', groupTypeId: 2, memberIds: pickSome(adults, 10) },
    { id: 4, name: 'Mitarbeiterteam Kindergottesdienst', groupTypeId: 3, memberIds: pickSome(adults, 8) },
    { id: 5, name: 'Seniorenkreis', groupTypeId: 1, memberIds: adults.filter((p) => p.birthday !== null && p.birthday < '1955').map((p) => p.id) },
  ];
}

// --- finance --------------------------------------------------------------------------------

export interface DemoAccountingPeriod {
  id: number;
  clientId: number;
  startDate: string;
  endDate: string;
  isClosed: boolean;
  incrementDocumentNumber: boolean;
}
export interface DemoAccountGroup {
  id: number;
  name: string;
  isCashAssetAccount: boolean;
}
export interface DemoAccount {
  id: number;
  /** ChurchTools types the account number as a string. */
  number: string;
  name: string;
  isDonationAccount: boolean;
  accountGroupId: number;
}
export interface DemoCostCenter {
  id: number;
  number: string;
  name: string;
}
export interface DemoTransaction {
  id: number;
  documentDate: string;
  documentNumber: string;
  /**
   * ChurchTools' *Konto*, Optigem's Soll (issue #11; ChurchTools Academy, "Zwecke"). All
   * amounts are positive: a donation is Konto Bank 1200 / Gegenkonto Spenden 8xxx, a collection
   * Konto Kasse 1000 / Gegenkonto Kollekten 8500, an expense Konto Raumkosten 4200 / Gegenkonto
   * Bank.
   */
  accountId: number;
  /** ChurchTools' *Gegenkonto*, Optigem's Haben; for donations the donation account. */
  contraAccountId: number;
  /** In cent. */
  amount: number;
  note: string;
  costCenterId: number | null;
  donatorId: number | null;
  donatorSpouseId: number | null;
  isImmutable: boolean;
  /** Aufwandsspende: the donor waived the reimbursement of an expense. */
  isWaiverOfReimbursementOfExpenses: boolean;
}
export interface DemoFinance {
  client: { id: number; name: string };
  /**
   * The married couple that gives together (donatorId + donatorSpouseId) and is one couple
   * record in the Optigem demo; neither spouse gives alone.
   */
  couple: { husbandId: number; wifeId: number };
  period: DemoAccountingPeriod;
  accountGroups: DemoAccountGroup[];
  accounts: DemoAccount[];
  costCenters: DemoCostCenter[];
  transactions: DemoTransaction[];
}

export function demoFinance(): DemoFinance {
  const d = new Dice(8000);
  const { persons, relationships } = generate();
  const accountGroups: DemoAccountGroup[] = [
    { id: 1, name: 'Bank- und Kassenbestände', isCashAssetAccount: true },
    { id: 2, name: 'Erträge', isCashAssetAccount: false },
    { id: 3, name: 'Aufwendungen', isCashAssetAccount: false },
  ];
  const accounts: DemoAccount[] = [
    { id: 1, number: '1000', name: 'Kasse', isDonationAccount: false, accountGroupId: 1 },
    { id: 2, number: '1200', name: 'Bank', isDonationAccount: false, accountGroupId: 1 },
    { id: 3, number: '4200', name: 'Raumkosten', isDonationAccount: false, accountGroupId: 3 },
    { id: 4, number: '4900', name: 'Sonstige Aufwendungen', isDonationAccount: false, accountGroupId: 3 },
    { id: 5, number: '8000', name: 'Spenden', isDonationAccount: true, accountGroupId: 2 },
    { id: 6, number: '8100', name: 'Spenden Mission', isDonationAccount: true, accountGroupId: 2 },
    { id: 7, number: '8200', name: 'Spenden Bauprojekt', isDonationAccount: true, accountGroupId: 2 },
    { id: 8, number: '8500', name: 'Kollekten', isDonationAccount: false, accountGroupId: 2 },
  ];
  const costCenters: DemoCostCenter[] = [
    { id: 1, number: '100', name: 'Gemeindearbeit' },
    { id: 2, number: '200', name: 'Kinder- und Jugendarbeit' },
    { id: 3, number: '300', name: 'Mission' },
    { id: 4, number: '400', name: 'Bauprojekt Gemeindehaus' },
  ];
  const ACC = { kasse: 1, bank: 2, raum: 3, sonst: 4, spenden: 5, mission: 6, bau: 7, kollekte: 8 };

  const spouseOf = new Map<number, number>();
  for (const r of relationships) {
    if (r.relationshipTypeId === RELATIONSHIP_SPOUSE) {
      spouseOf.set(r.personAId, r.personBId);
      spouseOf.set(r.personBId, r.personAId);
    }
  }
  const adults = persons.filter((p) => p.birthday === null || p.birthday < '2006');
  const donors: number[] = [];
  while (donors.length < 60) {
    const p = d.pick(adults);
    if (!donors.includes(p.id)) donors.push(p.id);
  }

  const raw: Omit<DemoTransaction, 'id' | 'documentNumber' | 'isImmutable'>[] = [];
  const donation = (donorId: number, date: string, kind: 'spenden' | 'mission' | 'bau', amount: number, note: string): void => {
    const spouse = spouseOf.get(donorId);
    // Couples often give together: the booking then carries both spouses (donatorSpouseId).
    const together = spouse !== undefined && d.chance(0.4);
    raw.push({
      documentDate: date,
      accountId: ACC.bank,
      contraAccountId: ACC[kind],
      amount,
      note,
      costCenterId: kind === 'mission' ? 3 : kind === 'bau' ? 4 : d.pick([1, 1, 1, 2]),
      donatorId: donorId,
      donatorSpouseId: together ? spouse : null,
      isWaiverOfReimbursementOfExpenses: false,
    });
  };
  const booking = (date: string, haben: number, soll: number, amount: number, note: string, costCenterId: number | null) =>
    raw.push({ documentDate: date, accountId: soll, contraAccountId: haben, amount, note, costCenterId, donatorId: null, donatorSpouseId: null, isWaiverOfReimbursementOfExpenses: false });

  // Standing orders: ten donors give monthly, January to October.
  for (const donorId of donors.slice(0, 10)) {
    const amount = d.pick([1000, 2000, 2500, 3000, 5000, 10000]);
    const day = d.int(1, 5);
    for (let month = 1; month <= 10; month++) donation(donorId, isoDate(2026, month, day), 'spenden', amount, 'Dauerauftrag Spende');
  }
  // Single gifts by the other donors.
  for (let i = 0; i < 50; i++) {
    const donorId = d.pick(donors.slice(10));
    const kind = d.pick(['spenden', 'spenden', 'mission', 'bau'] as const);
    const note = kind === 'mission' ? 'Spende Mission' : kind === 'bau' ? 'Spende Bauprojekt Gemeindehaus' : d.pick(['Spende', 'Spende Gemeindearbeit', 'Erntedank-Spende']);
    donation(donorId, isoDate(2026, d.int(1, 11), d.int(1, 20)), kind, d.pick([1500, 2000, 5000, 7500, 10000, 15000, 25000, 50000, 100000]), note);
  }
  // Collections and expenses without donor.
  for (let month = 1; month <= 10; month++) booking(isoDate(2026, month, 7), ACC.kollekte, ACC.kasse, d.int(8000, 30000), 'Kollekte Gottesdienst', 1);
  for (let month = 1; month <= 6; month++) booking(isoDate(2026, month, 15), ACC.bank, ACC.raum, 45000, 'Nebenkosten Gemeindehaus', 1);
  booking('2026-03-20', ACC.kasse, ACC.sonst, 3480, 'Material Kinderbibelwoche', 2);

  // The deliberate cases below use no dice, so the generated bookings above stay as they were.
  // A waiver (Aufwandsspende): a volunteer gives up the refund of travel costs; Soll is the expense,
  // Haben the donation account, and no money moves.
  const waiverDonor = donors[10] ?? 0;
  raw.push({ documentDate: '2026-07-24', accountId: ACC.sonst, contraAccountId: ACC.spenden, amount: 8640, note: 'Aufwandsspende Fahrtkosten Jugendfreizeit', costCenterId: 2, donatorId: waiverDonor, donatorSpouseId: null, isWaiverOfReimbursementOfExpenses: true });
  // The couple that gives together: the first married pair with one surname whose husband's
  // name is unique in the parish (so Optigem's couple record links to him by name) and who
  // never give alone.
  const fullName = (p: DemoPerson): string => `${p.firstName} ${p.lastName}`;
  const nameCount = new Map<string, number>();
  for (const p of persons) nameCount.set(fullName(p), (nameCount.get(fullName(p)) ?? 0) + 1);
  const byId = new Map(persons.map((p) => [p.id, p]));
  const couple = relationships
    .filter((r) => r.relationshipTypeId === RELATIONSHIP_SPOUSE)
    .map((r) => [byId.get(r.personAId), byId.get(r.personBId)] as const)
    .find(
      ([husband, wife]) =>
        husband !== undefined &&
        wife !== undefined &&
        husband.sexId === SEX_MALE &&
        husband.lastName === wife.lastName &&
        !husband.isArchived &&
        !wife.isArchived &&
        (husband.birthday ?? '') < '2006' &&
        (wife.birthday ?? '') < '2006' &&
        nameCount.get(fullName(husband)) === 1 &&
        !donors.includes(husband.id) &&
        !donors.includes(wife.id),
    );
  if (couple?.[0] === undefined || couple[1] === undefined) throw new Error('demo parish has no couple for the couple donations');
  const [husband, wife] = couple;
  for (const [date, kind, amount, note] of [
    ['2026-04-12', ACC.bau, 50000, 'Spende Bauprojekt Gemeindehaus'],
    ['2026-10-04', ACC.spenden, 10000, 'Erntedank-Spende'],
  ] as const) {
    raw.push({ documentDate: date, accountId: ACC.bank, contraAccountId: kind, amount, note, costCenterId: kind === ACC.bau ? 4 : 1, donatorId: husband.id, donatorSpouseId: wife.id, isWaiverOfReimbursementOfExpenses: false });
  }

  raw.sort((a, b) => (a.documentDate < b.documentDate ? -1 : a.documentDate > b.documentDate ? 1 : a.amount - b.amount));
  const transactions: DemoTransaction[] = raw.map((t, i) => ({
    id: i + 1,
    documentNumber: `2026-${String(i + 1).padStart(4, '0')}`,
    ...t,
    // January has been audited and locked, as treasurers do after the month-end check.
    isImmutable: t.documentDate < '2026-02-01',
  }));

  return {
    client: { id: 1, name: DEMO_PARISH_NAME },
    couple: { husbandId: husband.id, wifeId: wife.id },
    period: { id: 1, clientId: 1, startDate: '2026-01-01', endDate: '2026-12-31', isClosed: false, incrementDocumentNumber: true },
    accountGroups,
    accounts,
    costCenters,
    transactions,
  };
}
