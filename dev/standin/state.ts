/**
 * The live in-memory data of the ChurchTools stand-in.
 *
 * Records are stored close to ChurchTools' own API shapes (see reference/ct-api.md), so the routes only
 * add computed fields (domain objects, security levels) when they render a response. Tests may read and
 * mutate this state directly to set up or assert scenarios; every route reads it live.
 */
import {
  DEMO_ADMIN,
  DEMO_CAMPUSES,
  DEMO_DEPARTMENTS,
  DEMO_FAMILY_STATUSES,
  DEMO_PARISH_NAME,
  DEMO_RELATIONSHIP_TYPES,
  DEMO_SEXES,
  DEMO_STATUSES,
  STATUS_GAST,
  demoFinance,
  demoGroups,
  demoPersons,
  demoRelationships,
} from '../../src/bridge/demo/parish.ts';

/** Key of the extension's custom module (its `shorty`), as installed from manifest.json. */
export const EXTENSION_KEY = 'optigem-sync';

export interface EntityMeta {
  createdDate: string;
  createdPerson: { id: number };
  modifiedDate: string;
  modifiedPerson: { id: number };
}

export interface PersonEmail {
  email: string;
  contactLabelId: number;
  isDefault: boolean;
}

/** A person as stored; the API view adds computed fields (age, isDead, security levels, tags). */
export interface PersonRecord {
  id: number;
  guid: string;
  firstName: string;
  lastName: string;
  birthName: string;
  nickname: string;
  title: string;
  job: string;
  birthday: string | null;
  birthplace: string;
  sexId: number | null;
  statusId: number;
  familyStatusId: number | null;
  campusId: number;
  departmentIds: number[];
  email: string;
  emails: PersonEmail[];
  street: string;
  zip: string;
  city: string;
  country: string;
  addressAddition: string;
  phonePrivate: string;
  phoneWork: string;
  mobile: string;
  fax: string;
  dateOfBaptism: string | null;
  baptisedBy: string;
  placeOfBaptism: string;
  dateOfBelonging: string | null;
  dateOfEntry: string | null;
  dateOfResign: string | null;
  dateOfDeath: string | null;
  firstContact: string | null;
  weddingDate: string | null;
  growPathId: number | null;
  nationalityId: number | null;
  referredBy: string;
  referredTo: string;
  cmsUserId: string;
  optigemId: string;
  isArchived: boolean;
  tagIds: number[];
  meta: EntityMeta;
}

export interface RelationshipRecord {
  id: number;
  /** For parent/child, A is the parent. */
  personAId: number;
  personBId: number;
  relationshipTypeId: number;
}

export interface TagRecord {
  id: number;
  name: string;
  description: string;
  color: string;
}

export interface GroupRecord {
  id: number;
  guid: string;
  name: string;
  groupTypeId: number;
  groupStatusId: number;
  campusId: number | null;
  note: string;
  meta: EntityMeta;
}

export interface GroupMemberRecord {
  groupId: number;
  personId: number;
  groupTypeRoleId: number;
  groupMemberStatus: 'active' | 'requested' | 'to_delete' | 'waiting';
  memberStartDate: string | null;
}

export interface UserAccount {
  personId: number;
  username: string;
  password: string;
  loginToken: string;
}

/** Category ids a custom-module right applies to; 'all' also covers categories created later. */
export type CategorySet = 'all' | number[];

/**
 * Rights on one custom module. [I] ChurchTools grants category rights per category id; 'all' is the
 * stand-in's shorthand for "every category", rendered as the list of current category ids.
 */
export interface ModuleRights {
  view: boolean;
  createCategory: boolean;
  viewCategory: CategorySet;
  editCategory: CategorySet;
  deleteCategory: CategorySet;
  viewData: CategorySet;
  createData: CategorySet;
  editData: CategorySet;
  deleteData: CategorySet;
}

/** Global permissions of one user, keyed like `GET /permissions/global` (module → right → value). */
export interface UserPermissions {
  modules: Record<string, Record<string, boolean | number[]>>;
  /** Custom-module rights by module shorty. */
  customModules: Record<string, ModuleRights>;
}

export interface AccountingPeriodRecord {
  id: number;
  clientId: number;
  startDate: string;
  endDate: string;
  isClosed: boolean;
  incrementDocumentNumber: boolean;
  donationReceiptsCreated: string;
  meta: EntityMeta;
}

export interface AccountGroupRecord {
  id: number;
  accountClassId: number;
  name: string;
  isCashAssetAccount: boolean;
  sortKey: number;
}

export interface AccountRecord {
  id: number;
  accountingPeriodId: number;
  accountGroupId: number;
  number: string;
  name: string;
  identifier: string;
  isDonationAccount: boolean;
  isOpeningBalanceAccount: boolean;
  taxRateId: number | null;
  budget: number | null;
  meta: EntityMeta;
}

export interface CostCenterRecord {
  id: number;
  accountingPeriodId: number;
  number: string;
  name: string;
  budget: number;
  meta: EntityMeta;
}

export interface TransactionRecord {
  id: number;
  accountingPeriodId: number;
  accountId: number;
  contraAccountId: number;
  amount: number;
  documentDate: string;
  documentNumber: string;
  note: string;
  costCenterId: number | null;
  donatorId: number | null;
  donatorSpouseId: number | null;
  isImmutable: boolean;
  isSynced: boolean;
  isWaiverOfReimbursementOfExpenses: boolean;
  meta: EntityMeta;
}

export interface CustomModuleRecord {
  id: number;
  name: string;
  shorty: string;
  description: string;
  sortKey: number;
}

export interface CustomCategoryRecord {
  id: number;
  customModuleId: number;
  name: string;
  shorty: string;
  description: string;
  data: string | null;
}

export interface CustomValueRecord {
  id: number;
  dataCategoryId: number;
  value: string;
}

export interface NamedRecord {
  id: number;
  name: string;
  sortKey: number;
}

export interface StatusRecord extends NamedRecord {
  shorty: string;
  isMember: boolean;
  isSearchable: boolean;
  securityLevelId: number;
}

export interface CampusRecord extends NamedRecord {
  shorty: string;
  shortName: string;
  guid: string;
}

export interface RelationshipTypeRecord extends NamedRecord {
  degreeNameA: string;
  degreeNameB: string;
}

export interface StandInState {
  siteName: string;
  /** Clock for meta dates; tests may replace it to get fixed timestamps. */
  now: () => Date;
  /** Defaults ChurchTools uses for a new person when the body omits them ([I]: admin-configurable in CT). */
  personDefaults: { statusId: number; campusId: number };

  persons: Map<number, PersonRecord>;
  relationships: RelationshipRecord[];
  tags: TagRecord[];
  groups: Map<number, GroupRecord>;
  groupMembers: GroupMemberRecord[];

  statuses: StatusRecord[];
  sexes: NamedRecord[];
  familyStatuses: NamedRecord[];
  campuses: CampusRecord[];
  departments: NamedRecord[];
  relationshipTypes: RelationshipTypeRecord[];
  contactLabels: (NamedRecord & { isDefault: boolean })[];
  groupTypes: (NamedRecord & { shorty: string })[];

  users: Map<number, UserAccount>;
  permissions: Map<number, UserPermissions>;
  /** Session id (cookie value) → person id. Clear it to simulate expired sessions. */
  sessions: Map<string, number>;

  finance: {
    clients: { id: number; name: string; sortKey: number }[];
    periods: Map<number, AccountingPeriodRecord>;
    accountGroups: AccountGroupRecord[];
    accounts: Map<number, AccountRecord>;
    costCenters: Map<number, CostCenterRecord>;
    transactions: Map<number, TransactionRecord>;
  };

  customModules: Map<number, CustomModuleRecord>;
  customCategories: Map<number, CustomCategoryRecord>;
  customValues: Map<number, CustomValueRecord>;

  /** Next ids per kind; ChurchTools ids are auto-increment and never reused. */
  nextId: {
    person: number;
    relationship: number;
    transaction: number;
    customModule: number;
    customCategory: number;
    customValue: number;
    group: number;
  };
}

/** ChurchTools writes date-times as W3C Zulu strings with second precision, e.g. 1994-11-05T08:15:30Z. */
export function zulu(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Deterministic GUIDs so demo data is identical on every run. */
export function guidFor(kind: number, id: number): string {
  return `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(id).padStart(12, '0')}`;
}

export function touch(meta: EntityMeta, state: StandInState, byPersonId: number): void {
  meta.modifiedDate = zulu(state.now());
  meta.modifiedPerson = { id: byPersonId };
}

export function newMeta(state: StandInState, byPersonId: number): EntityMeta {
  const now = zulu(state.now());
  return { createdDate: now, createdPerson: { id: byPersonId }, modifiedDate: now, modifiedPerson: { id: byPersonId } };
}

export function blankPerson(id: number, meta: EntityMeta): PersonRecord {
  return {
    id,
    guid: guidFor(1, id),
    firstName: '',
    lastName: '',
    birthName: '',
    nickname: '',
    title: '',
    job: '',
    birthday: null,
    birthplace: '',
    sexId: null,
    statusId: 0,
    familyStatusId: 0,
    campusId: 0,
    departmentIds: [],
    email: '',
    emails: [],
    street: '',
    zip: '',
    city: '',
    country: '',
    addressAddition: '',
    phonePrivate: '',
    phoneWork: '',
    mobile: '',
    fax: '',
    dateOfBaptism: null,
    baptisedBy: '',
    placeOfBaptism: '',
    dateOfBelonging: null,
    dateOfEntry: null,
    dateOfResign: null,
    dateOfDeath: null,
    firstContact: null,
    weddingDate: null,
    growPathId: null,
    nationalityId: null,
    referredBy: '',
    referredTo: '',
    cmsUserId: '',
    optigemId: '',
    isArchived: false,
    tagIds: [],
    meta,
  };
}

export function fullModuleRights(): ModuleRights {
  return {
    view: true,
    createCategory: true,
    viewCategory: 'all',
    editCategory: 'all',
    deleteCategory: 'all',
    viewData: 'all',
    createData: 'all',
    editData: 'all',
    deleteData: 'all',
  };
}

export function noModuleRights(): ModuleRights {
  return {
    view: false,
    createCategory: false,
    viewCategory: [],
    editCategory: [],
    deleteCategory: [],
    viewData: [],
    createData: [],
    editData: [],
    deleteData: [],
  };
}

/** All global rights a ChurchTools super-admin has for the modules the stand-in knows. */
export function adminPermissions(state: Pick<StandInState, 'finance'>): UserPermissions {
  const periodIds = [...state.finance.periods.keys()];
  return {
    modules: {
      churchcore: {
        'administer church html templates': true,
        'administer custom modules': true,
        'administer persons': true,
        'administer settings': true,
        'invite persons': true,
        'simulate persons': true,
        'view logfile': true,
      },
      churchdb: {
        view: true,
        'view alldata': [-1],
        'security level person': [1, 2, 3, 4, 5, 6],
        'create person': true,
        'write access': true,
        'delete persons': true,
        'push/pull archive': true,
        'view archive': true,
        'edit relations': true,
        'edit masterdata': true,
        'view person tags': true,
        'edit group memberships': true,
        'export data': true,
        'complex filter': true,
      },
      churchgroup: { view: true, 'administer groups': true, 'view group': [-1], 'security level group': [1, 2, 3, 4, 5, 6] },
      finance: { view: true, 'edit masterdata': true, 'view accounting period': periodIds, 'edit accounting period': periodIds },
      churchsync: { view: true },
    },
    customModules: {},
  };
}

/** A plain user who may only see persons: for tests of missing rights. */
export function viewerPermissions(): UserPermissions {
  return {
    modules: {
      churchcore: { 'administer custom modules': false, 'administer persons': false },
      churchdb: { view: true, 'view alldata': [], 'security level person': [1], 'create person': false, 'write access': false, 'delete persons': false, 'push/pull archive': false, 'view archive': false },
      finance: { view: false, 'edit masterdata': false, 'view accounting period': [], 'edit accounting period': [] },
    },
    customModules: {},
  };
}

/**
 * Grants a person every right on a custom module. ChurchTools grants no module rights by default, not
 * even to admins, so tests and the demo call this explicitly (reference ct-extension.md §0 item 14).
 */
export function grantModuleRights(state: StandInState, personId: number, moduleShorty: string, rights: ModuleRights = fullModuleRights()): void {
  let perms = state.permissions.get(personId);
  if (!perms) {
    perms = viewerPermissions();
    state.permissions.set(personId, perms);
  }
  perms.customModules[moduleShorty] = { ...rights };
}

/** Withdraws all rights of a person on a custom module (the "freshly installed" situation). */
export function revokeModuleRights(state: StandInState, personId: number, moduleShorty: string): void {
  const perms = state.permissions.get(personId);
  if (perms) delete perms.customModules[moduleShorty];
}

/** Adds a login for an existing person (demo: only the admin has one). */
export function addUser(state: StandInState, account: UserAccount, permissions: UserPermissions = viewerPermissions()): void {
  if (!state.persons.has(account.personId)) throw new Error(`addUser: no person ${account.personId}`);
  state.users.set(account.personId, { ...account });
  state.permissions.set(account.personId, permissions);
}

export function findUserByToken(state: StandInState, token: string): UserAccount | undefined {
  for (const u of state.users.values()) if (u.loginToken === token) return u;
  return undefined;
}

export function findUserByName(state: StandInState, username: string): UserAccount | undefined {
  const wanted = username.trim().toLowerCase();
  for (const u of state.users.values()) if (u.username.toLowerCase() === wanted) return u;
  return undefined;
}

/** Current category ids a right covers. */
export function categoriesOf(state: StandInState, moduleId: number, set: CategorySet): number[] {
  if (set === 'all') {
    return [...state.customCategories.values()].filter((c) => c.customModuleId === moduleId).map((c) => c.id);
  }
  return [...set];
}

export function rightCovers(set: CategorySet, categoryId: number): boolean {
  return set === 'all' || set.includes(categoryId);
}

// --- construction --------------------------------------------------------------------------

/** A fixed instant before all demo edits, so demo meta dates never depend on the wall clock. */
const DEMO_EPOCH = Date.UTC(2024, 2, 1, 9, 0, 0);

function demoMeta(seed: number): EntityMeta {
  const created = new Date(DEMO_EPOCH + seed * 3_600_000);
  // Spread modifications over 2025/2026 deterministically.
  const modified = new Date(Date.UTC(2025, 0, 1, 8, 0, 0) + ((seed * 7919) % 600) * 86_400_000 + (seed % 11) * 60_000);
  return { createdDate: zulu(created), createdPerson: { id: 1 }, modifiedDate: zulu(modified), modifiedPerson: { id: 1 } };
}

function masterData(): Pick<StandInState, 'statuses' | 'sexes' | 'familyStatuses' | 'campuses' | 'departments' | 'relationshipTypes' | 'contactLabels' | 'groupTypes' | 'tags'> {
  return {
    statuses: DEMO_STATUSES.map((s, i) => ({ ...s, isSearchable: true, securityLevelId: 1, sortKey: i + 1 })),
    sexes: DEMO_SEXES.map((s, i) => ({ ...s, sortKey: i })),
    familyStatuses: DEMO_FAMILY_STATUSES.map((s, i) => ({ ...s, sortKey: i })),
    campuses: DEMO_CAMPUSES.map((c, i) => ({ ...c, shortName: c.shorty, guid: guidFor(2, c.id), sortKey: i + 1 })),
    departments: DEMO_DEPARTMENTS.map((d, i) => ({ ...d, sortKey: i + 1 })),
    relationshipTypes: DEMO_RELATIONSHIP_TYPES.map((r, i) => ({ ...r, sortKey: i + 1 })),
    contactLabels: [
      { id: 1, name: 'Privat', sortKey: 1, isDefault: true },
      { id: 2, name: 'Beruflich', sortKey: 2, isDefault: false },
    ],
    groupTypes: [
      { id: 1, name: 'Gruppe', shorty: 'G', sortKey: 1 },
      { id: 2, name: 'Kleingruppe', shorty: 'KG', sortKey: 2 },
      { id: 3, name: 'Dienst', shorty: 'D', sortKey: 3 },
    ],
    tags: [
      { id: 1, name: 'Newsletter', description: 'Möchte den Gemeindebrief per E-Mail', color: 'blue' },
      { id: 2, name: 'Spender', description: 'Regelmäßige Spende', color: 'green' },
      { id: 3, name: 'Besuchsdienst', description: '', color: 'amber' },
    ],
  };
}

export function createState(data: 'demo' | 'empty' = 'demo'): StandInState {
  const fin = demoFinance();
  const state: StandInState = {
    siteName: DEMO_PARISH_NAME,
    now: () => new Date(),
    personDefaults: { statusId: STATUS_GAST, campusId: 1 },
    persons: new Map(),
    relationships: [],
    groups: new Map(),
    groupMembers: [],
    ...masterData(),
    users: new Map(),
    permissions: new Map(),
    sessions: new Map(),
    finance: {
      clients: [{ ...fin.client, sortKey: 1 }],
      periods: new Map(),
      accountGroups: fin.accountGroups.map((g, i) => ({ ...g, accountClassId: g.isCashAssetAccount ? 1 : 2, sortKey: i + 1 })),
      accounts: new Map(),
      costCenters: new Map(),
      transactions: new Map(),
    },
    customModules: new Map(),
    customCategories: new Map(),
    customValues: new Map(),
    nextId: { person: 1, relationship: 1, transaction: 1, customModule: 1, customCategory: 1, customValue: 1, group: 1 },
  };

  // Finance master data exists in both modes: CT requires the fiscal year, accounts and cost centres
  // before any booking sync (reference §5.2).
  state.finance.periods.set(fin.period.id, { ...fin.period, donationReceiptsCreated: '', meta: demoMeta(0) });
  for (const a of fin.accounts) {
    state.finance.accounts.set(a.id, { ...a, accountingPeriodId: fin.period.id, identifier: '', isOpeningBalanceAccount: false, taxRateId: null, budget: null, meta: demoMeta(a.id) });
  }
  for (const c of fin.costCenters) {
    state.finance.costCenters.set(c.id, { ...c, accountingPeriodId: fin.period.id, budget: 0, meta: demoMeta(c.id) });
  }

  const admin = blankPerson(DEMO_ADMIN.id, demoMeta(0));
  Object.assign(admin, {
    firstName: DEMO_ADMIN.firstName,
    lastName: DEMO_ADMIN.lastName,
    email: DEMO_ADMIN.email,
    emails: [{ email: DEMO_ADMIN.email, contactLabelId: 1, isDefault: true }],
    statusId: DEMO_STATUSES[0]?.id ?? 1,
    campusId: 1,
    departmentIds: [1],
    sexId: 0,
  });
  state.persons.set(admin.id, admin);
  state.nextId.person = 2;

  if (data === 'demo') {
    for (const p of demoPersons()) {
      const rec = blankPerson(p.id, demoMeta(p.id));
      Object.assign(rec, {
        firstName: p.firstName,
        lastName: p.lastName,
        email: p.email,
        emails: p.email ? [{ email: p.email, contactLabelId: 1, isDefault: true }] : [],
        birthday: p.birthday,
        sexId: p.sexId,
        statusId: p.statusId,
        familyStatusId: p.familyStatusId,
        campusId: p.campusId,
        departmentIds: [...p.departmentIds],
        street: p.street,
        zip: p.zip,
        city: p.city,
        country: 'DE',
        mobile: p.mobile,
        phonePrivate: p.phonePrivate,
        isArchived: p.isArchived,
        tagIds: p.id % 9 === 0 ? [1] : p.id % 13 === 0 ? [1, 3] : [],
      });
      state.persons.set(rec.id, rec);
      state.nextId.person = Math.max(state.nextId.person, rec.id + 1);
    }
    for (const r of demoRelationships()) {
      state.relationships.push({ ...r });
      state.nextId.relationship = Math.max(state.nextId.relationship, r.id + 1);
    }
    for (const g of demoGroups()) {
      state.groups.set(g.id, { id: g.id, guid: guidFor(3, g.id), name: g.name, groupTypeId: g.groupTypeId, groupStatusId: 1, campusId: 1, note: '', meta: demoMeta(g.id) });
      for (const personId of g.memberIds) {
        state.groupMembers.push({ groupId: g.id, personId, groupTypeRoleId: g.groupTypeId * 10 + 1, groupMemberStatus: 'active', memberStartDate: '2024-09-01T00:00:00Z' });
      }
      state.nextId.group = Math.max(state.nextId.group, g.id + 1);
    }
    for (const t of fin.transactions) {
      state.finance.transactions.set(t.id, { ...t, accountingPeriodId: fin.period.id, isSynced: false, isWaiverOfReimbursementOfExpenses: t.isWaiverOfReimbursementOfExpenses ?? false, meta: demoMeta(t.id) });
      state.nextId.transaction = Math.max(state.nextId.transaction, t.id + 1);
    }
    // Donors carry the "Spender" tag, as a treasurer would set it.
    for (const t of fin.transactions) {
      const donor = t.donatorId === null ? undefined : state.persons.get(t.donatorId);
      if (donor && !donor.tagIds.includes(2)) donor.tagIds.push(2);
    }
  }

  state.users.set(DEMO_ADMIN.id, { personId: DEMO_ADMIN.id, username: DEMO_ADMIN.username, password: DEMO_ADMIN.password, loginToken: DEMO_ADMIN.loginToken });
  state.permissions.set(DEMO_ADMIN.id, adminPermissions(state));

  // The extension is installed (System settings → Extensions) and the admin was granted its rights.
  state.customModules.set(1, { id: 1, name: 'Optigem Sync', shorty: EXTENSION_KEY, description: 'Personen und Buchungen mit Optigem abgleichen', sortKey: 1 });
  state.nextId.customModule = 2;
  grantModuleRights(state, DEMO_ADMIN.id, EXTENSION_KEY);

  return state;
}
