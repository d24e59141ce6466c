/**
 * The published ChurchTools REST API, as far as this product uses it: our own zod statement of
 * it, written by hand (never generated or copied) from
 *
 *   ChurchTools' OpenAPI description as generated into a public TypeScript client
 *   (`packages/ct-utils/ct-types.d.ts` of BoThomas/churchtools-extensions, file dated 2025-11-21),
 *   cross-checked with /work/shared/reference/ct-contract-2026-12.md (facts checked 2026-12-06
 *   against that client and one of February 2026).
 *
 * Response objects are strict: a field the published type does not have is drift in the stand-in.
 * Request bodies are strict too: the product must not send what the published type does not take.
 *
 * ASSUMPTIONS — what the product needs and the published description lacks:
 * - A1 Custom modules (`/custommodules…`, categories, values) have no paths in the generated
 *   client; only their types (CustomModule, CustomModuleDataCategory(Create),
 *   CustomModuleDataValue(Create)) are published. Paths, the `{data}` envelope and the success
 *   status (200 or 201, both accepted) follow ChurchTools' own extension boilerplate (kv-store.ts).
 * - A2 Error bodies: the published 400 of POST/PATCH /persons has `errors: string[]`; the 2022
 *   file and live instances show field objects `{fieldId, message, messageKey, args}`. Both are
 *   accepted. Other error statuses are `unknown` in the description: only the envelope's
 *   optional fields are checked.
 * - A3 `GET /persons` sorts by last name, first name and answers pages with MetaPagination; the
 *   maximum `limit` (500 for persons) is from public client code, not from the description.
 * - A4 The family-status options come from `GET /dbfields?include[]=options` (PersonMasterData
 *   has none); which DbField is the family status is matched by key/column (ct-api §1.9 [I]).
 * - A5 The legacy AJAX API (`POST /?q=churchdb/ajax`, used for `getMasterData`) is not part of
 *   the REST description; it is not checked here.
 * - A6 `DELETE /finance/transactions/{id}` takes `dry_run` (published) and answers 204 for both.
 * - A7 `GET /persons/relationships` types `relationshipType` as an open object; the product reads
 *   its `id` (the spouse type), falling back to `relationshipTypeId`.
 * - A8 Group ids in "member of group" conditions are read from `GET /groups` (published Group) and
 *   members from `GET /groups/{id}/members` (published GroupMember: `personId`).
 */
import { z } from 'zod';

// --- shared building blocks ------------------------------------------------------------------

const int = z.int();
const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
/** ZuluDate: ISO timestamp in UTC. */
const zulu = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'a Zulu timestamp');
/** DateTimeString: '2022-10-19 12:00:00' or ISO. */
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?Z?)?$/, 'a date-time');

export const metaPagination = z.strictObject({
  all: int.optional(),
  count: int.optional(),
  pagination: z
    .strictObject({ current: int.optional(), lastPage: int.optional(), limit: int.optional(), total: int.optional() })
    .optional(),
});

export const metaCount = z.strictObject({ count: int.optional() });

export const metaDataEntityId = z.strictObject({
  createdDate: zulu,
  createdPerson: z.strictObject({ id: int }),
  modifiedDate: zulu.optional(),
  modifiedPerson: z.strictObject({ id: int }).optional(),
});

const domainObjectBase = {
  apiUrl: z.string().nullable().optional(),
  color: z.unknown().optional(),
  domainIdentifier: z.string(),
  frontendUrl: z.string().nullable(),
  imageUrl: z.string().nullable().optional(),
  infos: z.array(z.string()).optional(),
  initials: z.string().nullable().optional(),
  title: z.string(),
};

export const domainObjectPerson = z.strictObject({
  ...domainObjectBase,
  apiUrl: z.string(),
  domainAttributes: z.strictObject({
    dateOfDeath: dateString.nullable(),
    firstName: z.string(),
    guid: z.string(),
    isArchived: z.boolean(),
    lastName: z.string(),
  }),
  domainType: z.literal('person'),
  frontendUrl: z.string(),
  icon: z.literal('user'),
  infos: z.array(z.string()),
});

/** ChurchTools' error envelope (A2). */
export const errorEnvelope = z.looseObject({
  message: z.string().optional(),
  messageKey: z.string().optional(),
  translatedMessage: z.string().optional(),
  args: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  errors: z
    .array(
      z.union([
        z.string(),
        z.looseObject({ fieldId: z.string().optional(), message: z.string().optional(), messageKey: z.string().optional(), args: z.unknown().optional() }),
      ]),
    )
    .optional(),
});

// --- persons -----------------------------------------------------------------------------------

export const person = z.strictObject({
  acceptedsecurity: dateString.nullable().optional(),
  addressAddition: z.string().optional(),
  age: int.optional(),
  baptisedBy: z.string().optional(),
  birthName: z.string().optional(),
  birthday: dateString.nullable().optional(),
  birthplace: z.string().optional(),
  campusId: int.optional(),
  canChat: z.boolean().optional(),
  chatActive: z.boolean().optional(),
  city: z.string().optional(),
  cmsUserId: z.string().optional(),
  country: z.string().optional(),
  dateOfBaptism: dateString.nullable().optional(),
  dateOfBelonging: dateString.nullable().optional(),
  dateOfDeath: dateString.nullable().optional(),
  dateOfEntry: dateTime.nullable().optional(),
  dateOfResign: dateTime.nullable().optional(),
  departmentIds: z.array(int).optional(),
  editSecurityLevelForPerson: int,
  email: z.string().optional(),
  emails: z.array(z.strictObject({ contactLabelId: int, email: z.string(), isDefault: z.boolean() })).optional(),
  familyImageUrl: z.string().nullable().optional(),
  familyStatusId: int.nullable().optional(),
  fax: z.string().optional(),
  firstContact: dateTime.nullable().optional(),
  firstName: z.string().optional(),
  growPathId: int.optional(),
  guid: z.string(),
  id: int,
  imageUrl: z.string().nullable().optional(),
  invitationStatus: z.string().nullable().optional(),
  isArchived: z.boolean().optional(),
  isDead: z.boolean().optional(),
  job: z.string().optional(),
  lastEditedDate: zulu.nullable().optional(),
  lastLogin: zulu.nullable().optional(),
  lastName: z.string().optional(),
  latitude: z.number().nullable().optional(),
  latitudeLoose: z.number().nullable().optional(),
  longitude: z.number().nullable().optional(),
  longitudeLoose: z.number().nullable().optional(),
  meta: metaDataEntityId.optional(),
  mobile: z.string().optional(),
  nationalityId: int.nullable().optional(),
  nickname: z.string().optional(),
  /** "String with Optigem ID or empty string if no ID is set." */
  optigemId: z.string().optional(),
  phonePrivate: z.string().optional(),
  phoneWork: z.string().optional(),
  placeOfBaptism: z.string().optional(),
  privacyPolicyAgreement: z
    .strictObject({ date: dateString.nullable(), typeId: int.nullable(), whoId: int.nullable() })
    .optional(),
  privacyPolicyAgreementDate: dateString.nullable().optional(),
  privacyPolicyAgreementTypeId: int.nullable().optional(),
  privacyPolicyAgreementWhoId: int.nullable().optional(),
  referredBy: z.string().optional(),
  referredTo: z.string().optional(),
  securityLevelForPerson: int,
  sexId: int.nullable().optional(),
  statusId: int.optional(),
  street: z.string().optional(),
  tags: z.array(z.looseObject({ id: int, name: z.string() })).optional(),
  title: z.string().optional(),
  weddingDate: dateString.nullable().optional(),
  zip: z.string().optional(),
});

/** PersonUpdateable: the body of POST /persons and PATCH /persons/{id}. statusId, campusId, growPathId are never null. */
export const personUpdateable = z.strictObject({
  addressAddition: z.string().optional(),
  age: int.optional(),
  baptisedBy: z.string().optional(),
  birthName: z.string().optional(),
  birthday: dateString.nullable().optional(),
  birthplace: z.string().optional(),
  campusId: int.optional(),
  city: z.string().optional(),
  cmsUserId: z.string().optional(),
  country: z.string().optional(),
  dateOfBaptism: dateString.nullable().optional(),
  dateOfBelonging: dateString.nullable().optional(),
  dateOfDeath: dateString.nullable().optional(),
  dateOfEntry: dateTime.nullable().optional(),
  dateOfResign: dateTime.nullable().optional(),
  departmentIds: z.array(int).optional(),
  email: z.string().optional(),
  emails: z.array(z.strictObject({ contactLabelId: int.optional(), email: z.string().optional(), isDefault: z.boolean().optional() })).optional(),
  familyStatusId: int.nullable().optional(),
  fax: z.string().optional(),
  firstContact: dateTime.nullable().optional(),
  firstName: z.string().optional(),
  growPathId: int.optional(),
  job: z.string().optional(),
  lastName: z.string().optional(),
  mobile: z.string().optional(),
  nationalityId: int.nullable().optional(),
  nickname: z.string().optional(),
  optigemId: z.string().optional(),
  phonePrivate: z.string().optional(),
  phoneWork: z.string().optional(),
  placeOfBaptism: z.string().optional(),
  privacyPolicyAgreement: z
    .strictObject({ date: dateString.nullable().optional(), typeId: int.nullable().optional(), whoId: int.nullable().optional() })
    .optional(),
  referredBy: z.string().optional(),
  referredTo: z.string().optional(),
  sexId: int.nullable().optional(),
  statusId: int.optional(),
  street: z.string().optional(),
  title: z.string().optional(),
  weddingDate: dateString.nullable().optional(),
  zip: z.string().optional(),
});

export const personArchiveBody = z.strictObject({ archived: z.boolean() });

export const personRelationship = z.strictObject({
  degreeOfRelationship: z.string(),
  id: int,
  relationshipName: z.string(),
  relationshipTypeId: int,
  relative: domainObjectPerson,
});

/** GET /persons/relationships: every field optional in the description. */
export const personRelationshipAll = z.strictObject({
  degreeOfRelationship: int.optional(),
  id: int.optional(),
  personAId: int.optional(),
  personBId: int.optional(),
  personId: int.optional(),
  relationshipName: z.string().optional(),
  relationshipType: z.record(z.string(), z.unknown()).optional(),
});

// --- groups and tags (conditions "member of group", "has tag") ---------------------------------

export const domainObjectGroup = z.strictObject({
  ...domainObjectBase,
  apiUrl: z.string(),
  domainAttributes: z.strictObject({
    campusId: int.nullable(),
    groupStatusId: int,
    groupTypeId: int,
    guid: z.string(),
    note: z.string(),
    visibility: z.enum(['public', 'hidden', 'restricted', 'intern']),
  }),
  domainType: z.literal('group'),
  frontendUrl: z.string(),
  icon: z.literal('users'),
});

const zuluNullable = zulu.nullable();
export const group = z.strictObject({
  followUp: z.strictObject({
    sendReminderMails: z.boolean().optional(),
    targetGroupMemberStatusId: int.nullable().optional(),
    targetObjectId: int.nullable().optional(),
    targetTypeId: int.optional(),
    typeId: int.nullable().optional(),
  }),
  guid: z.string(),
  hasPermissions: z.boolean().optional(),
  id: int,
  information: z.strictObject({
    ageGroupIds: z.array(int),
    campusId: int.nullable(),
    chatStatus: z.string(),
    color: z.string(),
    dateOfFoundation: dateString.nullable(),
    endDate: dateString.nullable(),
    groupCategoryId: int.nullable(),
    groupHomepageUrl: z.string().nullable(),
    groupStatusId: int,
    groupTypeId: int,
    imageUrl: z.string().nullable(),
    maxMembers: int.nullable(),
    meetingTime: z.string().nullable(),
    note: z.string(),
    signUpOverrideRoleId: int.nullable(),
    targetGroupId: int.nullable(),
    weekday: int.nullable(),
  }),
  memberStatistics: z.record(z.string(), int).optional(),
  meta: metaDataEntityId,
  modifiedDate: z.string().optional(),
  modifiedPerson: z.strictObject({ id: int }).optional(),
  name: z.string(),
  permissions: z.strictObject({ startChat: z.boolean(), useChat: z.boolean() }),
  places: z.array(z.record(z.string(), z.unknown())).optional(),
  publicPostsStatistic: z.strictObject({ count: int, lastPostDate: zuluNullable }).optional(),
  roles: z.array(z.record(z.string(), z.unknown())).optional(),
  securityLevelForGroup: int,
  settings: z.strictObject({
    allowChildRegistration: z.boolean(),
    allowOtherRegistration: z.boolean(),
    allowSameEmailRegistration: z.boolean(),
    allowSpouseRegistration: z.boolean(),
    allowWaitinglist: z.boolean(),
    appointmentId: int.nullable(),
    appointmentStartDate: zuluNullable,
    autoAccept: z.boolean(),
    automaticMoveUp: z.boolean(),
    defaultPostCommentsActive: z.boolean(),
    defaultPostNotificationScope: z.enum(['group_visible', 'group_intern']).nullable(),
    defaultPostPlaceholderText: z.string().nullable(),
    defaultPostVisibility: z.string().nullable(),
    dynamicGroupRuleSet: z.array(z.unknown()).nullable(),
    dynamicGroupStatus: z.enum(['active', 'inactive', 'manual', 'none']).nullable(),
    dynamicGroupUpdateFinished: zuluNullable,
    dynamicGroupUpdateStarted: zuluNullable,
    externalPostSubscriptionsEnabled: z.boolean(),
    groupMeeting: z.strictObject({ autoCreate: z.boolean(), templateId: int.nullable() }),
    inStatistic: z.boolean(),
    informLeader: z.boolean(),
    isHidden: z.boolean(),
    isOpenForMembers: z.boolean(),
    isPublic: z.boolean(),
    maxMembers: int.nullable(),
    newMember: z.strictObject({ campusId: int.nullable(), departmentId: int.nullable(), statusId: int.nullable() }),
    postsEnabled: z.boolean(),
    qrCodeCheckin: z.boolean(),
    qrCodeCheckinAutomaticEmail: z.boolean(),
    showStreet: z.boolean(),
    signUpClosingDate: zuluNullable,
    signUpHeadline: z.string().nullable(),
    signUpNotificationSentDate: zuluNullable,
    signUpOpeningDate: zuluNullable,
    visibility: z.enum(['public', 'hidden', 'restricted', 'intern']),
    waitinglistMaxPersons: int.nullable(),
  }),
  signupConditions: z.record(z.string(), z.unknown()).optional(),
  tags: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const groupMember = z.strictObject({
  comment: z.string().nullable().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  followUpDiffDays: int.nullable(),
  followUpStep: int.nullable(),
  followUpUnsuccessfulBackGroupId: int.nullable(),
  group: domainObjectGroup,
  groupMemberStatus: z.string(),
  groupTypeRoleId: int,
  memberEndDate: dateString.nullable().optional(),
  memberStartDate: zuluNullable,
  person: domainObjectPerson,
  personFields: z.array(z.record(z.string(), z.unknown())).optional(),
  personId: int,
  registeredBy: int.nullable(),
  tags: z.array(z.record(z.string(), z.unknown())).optional(),
  waitinglistPosition: int.nullable(),
});

/** TagWithCount, the items of GET /tags/{domainType}. */
export const tagWithCount = z.strictObject({ color: z.string(), count: int, description: z.string(), id: int, name: z.string() });

// --- person master data and db fields -----------------------------------------------------------

const named = { id: int, name: z.string(), nameTranslated: z.string(), sortKey: int };
export const status = z.strictObject({ ...named, isMember: z.boolean(), isSearchable: z.boolean(), securityLevelId: int, shorty: z.string() });
export const sex = z.strictObject(named);
export const department = z.strictObject(named);
export const campus = z.strictObject({
  ...named,
  address: z.record(z.string(), z.unknown()).optional(),
  guid: z.string(),
  meta: metaDataEntityId,
  shortName: z.string(),
  shorty: z.string(),
});
export const growPath = z.strictObject({ ...named, color: z.string() });
export const relationshipType = z.strictObject({
  ...named,
  degreeNameA: z.string(),
  degreeNameB: z.string(),
  exportTitle: z.string().optional(),
  functionKeys: z.array(z.enum(['noduplicate', 'nodelete', 'openduplicate'])).optional(),
  includeInExport: z.boolean(),
  securityLevelId: int,
});

/** PersonMasterData; the lists the product does not read are checked as lists of objects only. */
const otherList = z.array(z.record(z.string(), z.unknown())).optional();
export const personMasterData = z.strictObject({
  ageGroups: otherList,
  campuses: z.array(campus).optional(),
  commentViewers: otherList,
  contactLabels: otherList,
  departments: z.array(department).optional(),
  followUpIntervals: otherList,
  followUps: otherList,
  groupCategories: otherList,
  groupMeetingTemplates: otherList,
  groupStatuses: otherList,
  groupTypes: otherList,
  growPaths: z.array(growPath).optional(),
  relationshipTypes: z.array(relationshipType).optional(),
  roles: otherList,
  sexes: z.array(sex).optional(),
  statuses: z.array(status).optional(),
  targetGroups: otherList,
});

export const dbFieldOption = z.looseObject({ id: z.union([int, z.string()]), name: z.string(), sortKey: int.optional() });

/** DbField: key, column (deprecated), shorty, name — no columnName. */
export const dbField = z.strictObject({
  column: z.string(),
  createdByChurch: z.boolean(),
  deleteOnArchive: z.boolean(),
  fieldCategory: z.strictObject({ id: int, internCode: z.string(), name: z.string(), table: z.string() }),
  fieldType: z.strictObject({ id: int, internCode: z.string(), name: z.string(), sortKey: int }),
  hideInFrontend: z.boolean(),
  id: int,
  isActive: z.boolean(),
  isBasicInfo: z.boolean(),
  isNewPersonField: z.boolean(),
  isNotConfigurable: z.boolean(),
  isNullable: z.boolean(),
  key: z.string(),
  length: int.nullable().optional(),
  lineEnding: z.string(),
  name: z.string(),
  notConfigurable: z.boolean(),
  nullable: z.boolean(),
  options: z.array(dbFieldOption).optional(),
  securityLevel: int,
  shorty: z.string().optional(),
  sortKey: int,
  useAsPlaceholder: z.boolean(),
});

// --- finance -----------------------------------------------------------------------------------

export const accountingPeriod = z.strictObject({
  clientId: int,
  donationReceiptsCreated: z.string(),
  endDate: z.string(),
  id: int,
  incrementDocumentNumber: z.boolean(),
  isClosed: z.boolean(),
  meta: metaDataEntityId,
  permissions: z.strictObject({ canUseExpertMode: z.boolean(), 'edit accounting period': z.boolean() }),
  startDate: z.string(),
});

export const account = z.strictObject({
  accountGroupId: int,
  accountingPeriodId: int,
  annotation: z.string().nullable(),
  balance: int,
  budget: int.nullable(),
  budgetBalance: int,
  budgetBalanceLastPeriod: int,
  budgetLastPeriod: int.nullable(),
  id: int,
  identifier: z.string(),
  isDonationAccount: z.boolean(),
  isOpeningBalanceAccount: z.boolean(),
  meta: metaDataEntityId,
  name: z.string(),
  number: z.string(),
  permissions: z.strictObject({ allowPosting: z.boolean() }),
  taxRateId: int.nullable(),
});

export const costCenter = z.strictObject({
  accountingPeriodId: int,
  annotation: z.string().nullable(),
  budget: int,
  budgetBalance: int,
  budgetBalanceLastPeriod: int,
  budgetLastPeriod: int,
  budgetSpent: int,
  group: z.record(z.string(), z.unknown()).optional(),
  id: int,
  meta: metaDataEntityId,
  name: z.string(),
  number: z.string(),
});

/** Transaction: `meta` is MetaCount — no modifiedDate is promised. */
export const transaction = z.strictObject({
  accountId: int,
  amount: int,
  cashDiscountAmount: int.optional(),
  cashDiscountId: int.optional(),
  contraAccountId: int,
  costCenterId: int.nullable().optional(),
  documentDate: z.string(),
  documentNumber: z.string(),
  donator: domainObjectPerson.optional(),
  donatorSpouse: domainObjectPerson.optional(),
  id: int,
  isImmutable: z.boolean(),
  isSynced: z.boolean(),
  isWaiverOfReimbursementOfExpenses: z.boolean(),
  meta: metaCount.optional(),
  note: z.string(),
  permissions: z.strictObject({ canEdit: z.boolean().optional() }).optional(),
  splitTransactionId: int.optional(),
  taxRateId: int.optional(),
  taxTransactionId: int.optional(),
});

/** TransactionNew (POST): donatorId/donatorSpouseId are plain numbers when present; costCenterId may be null. */
export const transactionNew = z.strictObject({
  accountId: int,
  amount: int,
  cashDiscountAmount: int.optional(),
  cashDiscountId: int.optional(),
  contraAccountId: int,
  costCenterId: int.nullable().optional(),
  documentDate: dateString,
  documentNumber: z.string(),
  donatorId: int.optional(),
  donatorSpouseId: int.optional(),
  isSynced: z.boolean().optional(),
  isWaiverOfReimbursementOfExpenses: z.boolean().optional(),
  note: z.string(),
  taxRateId: int.optional(),
});

/** TransactionUpdate (PUT): costCenterId a required number; no donatorSpouseId, no waiver flag. */
export const transactionUpdate = z.strictObject({
  accountId: int,
  amount: int,
  cashDiscountAmount: int.optional(),
  cashDiscountId: int.optional(),
  contraAccountId: int,
  costCenterId: int,
  documentDate: dateString,
  documentNumber: z.string(),
  donatorId: int.optional(),
  isImmutable: z.boolean().optional(),
  note: z.string(),
  taxRateId: int.optional(),
});

export const transactionStorno = z.strictObject({ note: z.string() });

export const financePermissions = z.strictObject({
  canViewBudgets: z.boolean().optional(),
  canViewDonators: z.boolean().optional(),
  canViewReports: z.boolean().optional(),
  canViewTransactions: z.boolean().optional(),
  editMasterData: z.boolean().optional(),
});

export const financeMasterData = z.strictObject({
  accountClasses: z.array(z.record(z.string(), z.unknown())),
  accountGroups: z.array(z.record(z.string(), z.unknown())),
  accountTypes: z.array(z.record(z.string(), z.unknown())),
  accountingPeriods: z.array(accountingPeriod),
  accounts: z.array(account),
  cashDiscounts: z.array(z.record(z.string(), z.unknown())),
  clients: z.array(z.record(z.string(), z.unknown())),
  costCenters: z.array(costCenter),
  taxRates: z.array(z.record(z.string(), z.unknown())),
  taxTypes: z.array(z.record(z.string(), z.unknown())),
  transactionPurposes: z.array(z.record(z.string(), z.unknown())),
});

// --- custom modules (A1), session, permissions ----------------------------------------------------

export const customModule = z.strictObject({ description: z.string().optional(), id: int, name: z.string(), shorty: z.string(), sortKey: int });
export const customModuleDataCategoryCreate = z.strictObject({
  customModuleId: int,
  data: z.string().optional(),
  description: z.string(),
  name: z.string(),
  shorty: z.string(),
});
export const customModuleDataCategory = customModuleDataCategoryCreate.extend({ id: int });
export const customModuleDataValueCreate = z.strictObject({ dataCategoryId: int, value: z.string() });
export const customModuleDataValue = customModuleDataValueCreate.extend({ id: int });

const customModulePermission = z.strictObject({
  'create custom category': z.boolean(),
  'create custom data': z.array(int),
  'delete custom category': z.array(int),
  'delete custom data': z.array(int),
  'edit custom category': z.array(int),
  'edit custom data': z.array(int),
  view: z.boolean(),
  'view custom category': z.array(int),
  'view custom data': z.array(int),
});
const rights = z.record(z.string(), z.union([z.boolean(), z.array(int)]));
/** GlobalPermissions: per module a map of rights (booleans or id lists); custom modules by their shorty. */
export const globalPermissions = z.record(z.string(), z.union([customModulePermission, rights]));

// --- the endpoints -----------------------------------------------------------------------------

const data = <S extends z.ZodType>(schema: S) => z.strictObject({ data: schema });
const list = <S extends z.ZodType>(item: S) => z.strictObject({ data: z.array(item) });
const paged = <S extends z.ZodType>(item: S) => z.strictObject({ data: z.array(item), meta: metaPagination });
const noContent = z.union([z.literal(''), z.null(), z.undefined()]);

const intParam = z.coerce.number().pipe(int);
const boolParam = z.enum(['true', 'false', '1', '0']);
const page = { page: intParam.pipe(z.int().min(1)).optional(), limit: intParam.pipe(z.int().min(1).max(500)).optional() };

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below /api; `{x}` is one path segment of digits. */
  readonly path: string;
  /** The query as PHP reads it: `name[]` repeated → `name: string[]`. */
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Success statuses and their bodies; errors are checked against `errorEnvelope`. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
}

const ids = z.array(intParam);

export const ENDPOINTS: readonly Endpoint[] = [
  // session and permissions
  { method: 'GET', path: '/whoami', query: z.strictObject({ only_allow_authenticated: boolParam.optional() }), responses: { 200: z.strictObject({ data: person, meta: z.strictObject({ simulatingUserId: int.nullable().optional() }) }) } },
  { method: 'GET', path: '/csrftoken', query: z.strictObject({}), responses: { 200: data(z.string()) } },
  { method: 'GET', path: '/permissions/global', query: z.strictObject({}), responses: { 200: data(globalPermissions) } },
  // persons
  {
    method: 'GET',
    path: '/persons',
    query: z.strictObject({ ids: ids.optional(), status_ids: ids.optional(), campus_ids: ids.optional(), birthday_before: dateString.optional(), birthday_after: dateString.optional(), is_archived: boolParam.optional(), is_account_locked: boolParam.optional(), include: z.array(z.literal('tags')).optional(), ...page }),
    responses: { 200: paged(person) },
  },
  { method: 'GET', path: '/persons/{id}', query: z.strictObject({ include: z.array(z.literal('tags')).optional() }), responses: { 200: data(person) } },
  { method: 'POST', path: '/persons', query: z.strictObject({ force: boolParam.optional(), without_privacy_policy_agreement: boolParam.optional() }), body: personUpdateable, responses: { 200: data(person) } },
  { method: 'PATCH', path: '/persons/{id}', query: z.strictObject({}), body: personUpdateable, responses: { 200: data(person) } },
  { method: 'DELETE', path: '/persons/{id}', query: z.strictObject({}), responses: { 204: noContent } },
  { method: 'POST', path: '/persons/{id}/archive', query: z.strictObject({}), body: personArchiveBody, responses: { 204: noContent } },
  { method: 'GET', path: '/persons/relationships', query: z.strictObject({}), responses: { 200: list(personRelationshipAll) } },
  { method: 'GET', path: '/persons/{id}/relationships', query: z.strictObject({}), responses: { 200: list(personRelationship) } },
  // groups and tags
  { method: 'GET', path: '/groups', query: z.strictObject({ ids: ids.optional(), query: z.string().optional(), ...page }), responses: { 200: paged(group) } },
  { method: 'GET', path: '/groups/{id}/members', query: z.strictObject({ ...page }), responses: { 200: paged(groupMember) } },
  { method: 'GET', path: '/tags/person', query: z.strictObject({}), responses: { 200: z.strictObject({ data: z.array(tagWithCount), meta: metaCount }) } },
  // master data
  { method: 'GET', path: '/person/masterdata', query: z.strictObject({}), responses: { 200: z.strictObject({ data: personMasterData, meta: z.record(z.string(), int) }) } },
  { method: 'GET', path: '/statuses', query: z.strictObject({}), responses: { 200: list(status) } },
  { method: 'GET', path: '/dbfields', query: z.strictObject({ include: z.array(z.literal('options')).optional() }), responses: { 200: z.strictObject({ data: z.array(dbField), meta: z.strictObject({ count: int }) }) } },
  // finance
  { method: 'GET', path: '/finance/accountingperiods', query: z.strictObject({}), responses: { 200: list(accountingPeriod) } },
  { method: 'GET', path: '/finance/accounts', query: z.strictObject({ accounting_period_id: ids.min(1), calculate_balance: boolParam.optional() }), responses: { 200: list(account) } },
  { method: 'GET', path: '/finance/costcenters', query: z.strictObject({ accounting_period_id: intParam }), responses: { 200: list(costCenter) } },
  {
    method: 'GET',
    path: '/finance/masterdata',
    query: z.strictObject({ accounting_period_id: intParam }),
    responses: { 200: z.strictObject({ data: financeMasterData, meta: z.record(z.string(), int), permissions: financePermissions }) },
  },
  {
    method: 'GET',
    path: '/finance/transactions',
    query: z.strictObject({
      accounting_period_id: intParam,
      created_pid: intParam.optional(),
      cost_center_ids: ids.optional(),
      donator_ids: ids.optional(),
      include_ids: ids.optional(),
      exclude_ids: ids.optional(),
      account_ids: ids.optional(),
      is_donation: boolParam.optional(),
      is_income: boolParam.optional(),
      start_date: dateString.optional(),
      end_date: dateString.optional(),
      is_immutable: boolParam.optional(),
      order_by: z.enum(['date', 'amount', 'modified']).optional(),
      order_direction: z.enum(['ASC', 'DESC']).optional(),
      include: z.array(z.literal('bills')).optional(),
      ...page,
    }),
    responses: { 200: paged(transaction) },
  },
  { method: 'POST', path: '/finance/transactions', query: z.strictObject({}), body: transactionNew, responses: { 200: list(transaction) } },
  { method: 'GET', path: '/finance/transactions/{id}', query: z.strictObject({ include: z.array(z.literal('bills')).optional() }), responses: { 200: list(transaction) } },
  { method: 'PUT', path: '/finance/transactions/{id}', query: z.strictObject({ include: z.array(z.literal('bills')).optional() }), body: transactionUpdate, responses: { 200: list(transaction) } },
  { method: 'DELETE', path: '/finance/transactions/{id}', query: z.strictObject({ dry_run: boolParam.optional(), include: z.array(z.literal('bills')).optional() }), responses: { 204: noContent } },
  { method: 'PUT', path: '/finance/transactions/{id}/storno', query: z.strictObject({}), body: transactionStorno, responses: { 200: list(transaction) } },
  // custom modules (A1)
  { method: 'GET', path: '/custommodules', query: z.strictObject({}), responses: { 200: list(customModule) } },
  { method: 'GET', path: '/custommodules/{id}/customdatacategories', query: z.strictObject({}), responses: { 200: list(customModuleDataCategory) } },
  { method: 'POST', path: '/custommodules/{id}/customdatacategories', query: z.strictObject({}), body: customModuleDataCategoryCreate, responses: { 200: data(customModuleDataCategory), 201: data(customModuleDataCategory) } },
  { method: 'DELETE', path: '/custommodules/{id}/customdatacategories/{id}', query: z.strictObject({}), responses: { 204: noContent } },
  { method: 'GET', path: '/custommodules/{id}/customdatacategories/{id}/customdatavalues', query: z.strictObject({}), responses: { 200: list(customModuleDataValue) } },
  { method: 'POST', path: '/custommodules/{id}/customdatacategories/{id}/customdatavalues', query: z.strictObject({}), body: customModuleDataValueCreate, responses: { 200: data(customModuleDataValue), 201: data(customModuleDataValue) } },
  { method: 'PUT', path: '/custommodules/{id}/customdatacategories/{id}/customdatavalues/{id}', query: z.strictObject({}), body: customModuleDataValueCreate, responses: { 200: data(customModuleDataValue) } },
  { method: 'DELETE', path: '/custommodules/{id}/customdatacategories/{id}/customdatavalues/{id}', query: z.strictObject({}), responses: { 204: noContent } },
];

function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{id\}/g, '\\d+').replace(/\//g, '\\/')}$`);
}
const patterns = ENDPOINTS.map((e) => ({ endpoint: e, re: pathPattern(e.path) }));

/** The published endpoint for a request, or undefined when the product uses one the contract does not describe. */
export function endpointFor(method: string, path: string): Endpoint | undefined {
  return patterns.find((p) => p.endpoint.method === method.toUpperCase() && p.re.test(path))?.endpoint;
}
