/**
 * Renders stored records in ChurchTools' response shapes (ct-types.d.ts via reference ct-api.md §1.7,
 * §2.3): computed fields, domain objects and permissions live here, not in the stored state.
 */
import type {
  AccountRecord,
  AccountingPeriodRecord,
  CostCenterRecord,
  GroupRecord,
  PersonRecord,
  StandInState,
  TransactionRecord,
  UserPermissions,
} from './state.ts';

export function ageOn(birthday: string | null, until: Date): number | undefined {
  if (!birthday) return undefined;
  const [y, m, d] = birthday.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return undefined;
  let age = until.getUTCFullYear() - y;
  if (until.getUTCMonth() + 1 < m || (until.getUTCMonth() + 1 === m && until.getUTCDate() < d)) age--;
  return age;
}

export function domainObjectPerson(base: string, p: PersonRecord) {
  return {
    title: `${p.firstName} ${p.lastName}`.trim(),
    domainType: 'person' as const,
    domainIdentifier: String(p.id),
    apiUrl: `${base}/api/persons/${p.id}`,
    frontendUrl: `${base}/persons/${p.id}`,
    imageUrl: null,
    icon: 'user' as const,
    infos: [] as string[],
    domainAttributes: { firstName: p.firstName, lastName: p.lastName, guid: p.guid, isArchived: p.isArchived, dateOfDeath: p.dateOfDeath },
  };
}

/** Placeholder for a person id that no longer exists (e.g. a deleted donor still named on a booking). */
export function domainObjectMissingPerson(base: string, id: number) {
  return {
    title: '',
    domainType: 'person' as const,
    domainIdentifier: String(id),
    apiUrl: `${base}/api/persons/${id}`,
    frontendUrl: `${base}/persons/${id}`,
    imageUrl: null,
    icon: 'user' as const,
    infos: [] as string[],
    domainAttributes: { firstName: '', lastName: '', guid: '', isArchived: false, dateOfDeath: null },
  };
}

export function domainObjectGroup(base: string, g: GroupRecord) {
  return {
    title: g.name,
    domainType: 'group' as const,
    domainIdentifier: String(g.id),
    apiUrl: `${base}/api/groups/${g.id}`,
    frontendUrl: `${base}/groups/${g.id}/dashboard`,
    imageUrl: null,
    icon: 'users' as const,
    infos: [] as string[],
    domainAttributes: { campusId: g.campusId, groupStatusId: g.groupStatusId, groupTypeId: g.groupTypeId, guid: g.guid, note: g.note, visibility: 'intern' as const },
  };
}

function maxLevel(perms: UserPermissions | null): number {
  const levels = perms?.modules.churchdb?.['security level person'];
  return Array.isArray(levels) && levels.length > 0 ? Math.max(...levels) : 1;
}

export function personView(state: StandInState, p: PersonRecord, perms: UserPermissions | null, includeTags: boolean) {
  const level = maxLevel(perms);
  const view: Record<string, unknown> = {
    id: p.id,
    guid: p.guid,
    securityLevelForPerson: level,
    editSecurityLevelForPerson: level,
    title: p.title,
    firstName: p.firstName,
    lastName: p.lastName,
    nickname: p.nickname,
    job: p.job,
    street: p.street,
    addressAddition: p.addressAddition,
    zip: p.zip,
    city: p.city,
    country: p.country,
    latitude: null,
    longitude: null,
    latitudeLoose: null,
    longitudeLoose: null,
    phonePrivate: p.phonePrivate,
    phoneWork: p.phoneWork,
    mobile: p.mobile,
    fax: p.fax,
    birthName: p.birthName,
    birthday: p.birthday,
    birthplace: p.birthplace,
    imageUrl: null,
    familyImageUrl: null,
    sexId: p.sexId,
    email: p.email,
    emails: p.emails.map((e) => ({ ...e })),
    cmsUserId: p.cmsUserId,
    optigemId: p.optigemId,
    privacyPolicyAgreement: { date: null, typeId: null, whoId: null },
    privacyPolicyAgreementDate: null,
    privacyPolicyAgreementTypeId: null,
    privacyPolicyAgreementWhoId: null,
    nationalityId: p.nationalityId,
    familyStatusId: p.familyStatusId,
    weddingDate: p.weddingDate,
    campusId: p.campusId,
    statusId: p.statusId,
    departmentIds: [...p.departmentIds],
    firstContact: p.firstContact,
    dateOfEntry: p.dateOfEntry,
    dateOfBelonging: p.dateOfBelonging,
    dateOfResign: p.dateOfResign,
    dateOfBaptism: p.dateOfBaptism,
    placeOfBaptism: p.placeOfBaptism,
    baptisedBy: p.baptisedBy,
    referredBy: p.referredBy,
    referredTo: p.referredTo,
    // Published Person: growPathId is a plain number; a person without one has no such key.
    ...(p.growPathId === null ? {} : { growPathId: p.growPathId }),
    isArchived: p.isArchived,
    dateOfDeath: p.dateOfDeath,
    isDead: p.dateOfDeath !== null,
    lastEditedDate: p.meta.modifiedDate,
    lastLogin: null,
    invitationStatus: 'not_invited',
    canChat: false,
    chatActive: false,
    acceptedsecurity: null,
    meta: { ...p.meta, createdPerson: { ...p.meta.createdPerson }, modifiedPerson: { ...p.meta.modifiedPerson } },
  };
  const age = ageOn(p.birthday, p.dateOfDeath ? new Date(`${p.dateOfDeath}T00:00:00Z`) : state.now());
  if (age !== undefined) view.age = age;
  if (includeTags) view.tags = p.tagIds.flatMap((id) => state.tags.filter((t) => t.id === id)).map((t) => tagView(state, t.id));
  return view;
}

export function tagView(state: StandInState, tagId: number) {
  const t = state.tags.find((x) => x.id === tagId);
  if (!t) return undefined;
  // The deprecated modified* fields are still part of the Tag type.
  return { id: t.id, name: t.name, description: t.description, color: t.color, modifiedAt: '2024-03-01T09:00:00Z', modifiedBy: 1, modifiedDate: '2024-03-01T09:00:00Z', modifiedPid: '1' };
}

export function periodView(p: AccountingPeriodRecord, perms: UserPermissions | null) {
  const editable = perms?.modules.finance?.['edit accounting period'];
  const canEdit = Array.isArray(editable) && (editable.includes(p.id) || editable.includes(-1));
  return {
    id: p.id,
    clientId: p.clientId,
    startDate: p.startDate,
    endDate: p.endDate,
    isClosed: p.isClosed,
    incrementDocumentNumber: p.incrementDocumentNumber,
    donationReceiptsCreated: p.donationReceiptsCreated,
    meta: { ...p.meta },
    permissions: { canUseExpertMode: canEdit && !p.isClosed, 'edit accounting period': canEdit },
  };
}

export function accountView(state: StandInState, a: AccountRecord) {
  let balance = 0;
  for (const t of state.finance.transactions.values()) {
    if (t.accountId === a.id) balance += t.amount;
    if (t.contraAccountId === a.id) balance -= t.amount;
  }
  return {
    id: a.id,
    accountingPeriodId: a.accountingPeriodId,
    accountGroupId: a.accountGroupId,
    number: a.number,
    name: a.name,
    identifier: a.identifier,
    annotation: null,
    isDonationAccount: a.isDonationAccount,
    isOpeningBalanceAccount: a.isOpeningBalanceAccount,
    taxRateId: a.taxRateId,
    balance,
    budget: a.budget,
    budgetBalance: 0,
    budgetBalanceLastPeriod: 0,
    budgetLastPeriod: null,
    meta: { ...a.meta },
    permissions: { allowPosting: true },
  };
}

export function costCenterView(c: CostCenterRecord) {
  return {
    id: c.id,
    accountingPeriodId: c.accountingPeriodId,
    number: c.number,
    name: c.name,
    annotation: null,
    budget: c.budget,
    budgetBalance: c.budget,
    budgetBalanceLastPeriod: 0,
    budgetLastPeriod: 0,
    budgetSpent: 0,
    meta: { ...c.meta },
  };
}

export function transactionView(state: StandInState, base: string, t: TransactionRecord) {
  const person = (id: number | null) => {
    if (id === null) return undefined;
    const p = state.persons.get(id);
    return p ? domainObjectPerson(base, p) : domainObjectMissingPerson(base, id);
  };
  const period = state.finance.periods.get(t.accountingPeriodId);
  const view: Record<string, unknown> = {
    id: t.id,
    accountId: t.accountId,
    contraAccountId: t.contraAccountId,
    amount: t.amount,
    documentDate: t.documentDate,
    documentNumber: t.documentNumber,
    note: t.note,
    costCenterId: t.costCenterId,
    isImmutable: t.isImmutable,
    isSynced: t.isSynced,
    isWaiverOfReimbursementOfExpenses: t.isWaiverOfReimbursementOfExpenses,
    permissions: { canEdit: !t.isImmutable && !(period?.isClosed ?? false) },
    // [I] ct-types types meta as MetaCount, the 2022 spec as entity meta with modifiedDate (reference
    // §2.3); the stand-in returns the entity meta because the sync needs modifiedDate.
    meta: { ...t.meta },
  };
  const donator = person(t.donatorId);
  const spouse = person(t.donatorSpouseId);
  if (donator) view.donator = donator;
  if (spouse) view.donatorSpouse = spouse;
  return view;
}
