/**
 * Checks a sample of stand-in responses against the shapes in reference/ct-api.md and ct-extension.md
 * (which quote ct-types.d.ts): required fields with the right types, and no fields ChurchTools
 * does not have where the reference gives the complete type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { call } from './helpers.ts';

const zulu = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const errorEnvelope = z.strictObject({
  message: z.string(),
  messageKey: z.string(),
  translatedMessage: z.string(),
  args: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]),
  errors: z.array(z.strictObject({ fieldId: z.string(), message: z.string(), messageKey: z.string(), args: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]) })),
});

const metaPagination = z.strictObject({
  all: z.int().optional(),
  count: z.int().optional(),
  pagination: z.strictObject({ current: z.int(), lastPage: z.int(), limit: z.int(), total: z.int() }),
});

const entityMeta = z.strictObject({ createdDate: zulu, createdPerson: z.strictObject({ id: z.int() }), modifiedDate: zulu, modifiedPerson: z.strictObject({ id: z.int() }) });

const domainObjectPerson = z.strictObject({
  apiUrl: z.string(),
  domainAttributes: z.strictObject({ dateOfDeath: date.nullable(), firstName: z.string(), guid: z.string(), isArchived: z.boolean(), lastName: z.string() }),
  domainIdentifier: z.string(),
  domainType: z.literal('person'),
  frontendUrl: z.string(),
  icon: z.literal('user'),
  imageUrl: z.string().nullable().optional(),
  infos: z.array(z.string()),
  title: z.string(),
});

const opt = <T extends z.ZodType>(t: T) => t.optional();
/** ct-types `Person`: every key the type has; the sync-relevant ones from §1.7 required. */
const person = z.strictObject({
  id: z.int(),
  guid: z.string(),
  securityLevelForPerson: z.int(),
  editSecurityLevelForPerson: z.int(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  emails: z.array(z.strictObject({ email: z.string(), contactLabelId: z.int(), isDefault: z.boolean() })),
  birthday: date.nullable(),
  sexId: z.int().nullable(),
  statusId: z.int(),
  familyStatusId: z.int().nullable(),
  campusId: z.int(),
  departmentIds: z.array(z.int()).min(1),
  street: z.string(),
  zip: z.string(),
  city: z.string(),
  country: z.string(),
  addressAddition: z.string(),
  phonePrivate: z.string(),
  phoneWork: z.string(),
  mobile: z.string(),
  fax: z.string(),
  optigemId: z.string(),
  isArchived: z.boolean(),
  meta: entityMeta,
  acceptedsecurity: opt(date.nullable()),
  age: opt(z.int()),
  baptisedBy: opt(z.string()),
  birthName: opt(z.string()),
  birthplace: opt(z.string()),
  canChat: opt(z.boolean()),
  chatActive: opt(z.boolean()),
  cmsUserId: opt(z.string()),
  dateOfBaptism: opt(date.nullable()),
  dateOfBelonging: opt(date.nullable()),
  dateOfDeath: opt(date.nullable()),
  dateOfEntry: opt(z.string().nullable()),
  dateOfResign: opt(z.string().nullable()),
  familyImageUrl: opt(z.string().nullable()),
  firstContact: opt(z.string().nullable()),
  growPathId: opt(z.int().nullable()),
  imageUrl: opt(z.string().nullable()),
  invitationStatus: opt(z.enum(['not_invited', 'accepted', 'pending']).nullable()),
  isDead: opt(z.boolean()),
  job: opt(z.string()),
  lastEditedDate: opt(zulu.nullable()),
  lastLogin: opt(zulu.nullable()),
  latitude: opt(z.number().nullable()),
  latitudeLoose: opt(z.number().nullable()),
  longitude: opt(z.number().nullable()),
  longitudeLoose: opt(z.number().nullable()),
  nationalityId: opt(z.int().nullable()),
  nickname: opt(z.string()),
  placeOfBaptism: opt(z.string()),
  privacyPolicyAgreement: opt(z.strictObject({ date: date.nullable(), typeId: z.int().nullable(), whoId: z.int().nullable() })),
  privacyPolicyAgreementDate: opt(date.nullable()),
  privacyPolicyAgreementTypeId: opt(z.int().nullable()),
  privacyPolicyAgreementWhoId: opt(z.int().nullable()),
  referredBy: opt(z.string()),
  referredTo: opt(z.string()),
  tags: opt(z.array(z.object({ id: z.int(), name: z.string(), color: z.string(), description: z.string() }))),
  title: opt(z.string()),
  weddingDate: opt(date.nullable()),
});

/** ct-types `Transaction`, complete. */
const transaction = z.strictObject({
  id: z.int(),
  accountId: z.int(),
  contraAccountId: z.int(),
  amount: z.int(),
  documentDate: date,
  documentNumber: z.string(),
  note: z.string(),
  costCenterId: z.int().nullable().optional(),
  donator: domainObjectPerson.optional(),
  donatorSpouse: domainObjectPerson.optional(),
  isImmutable: z.boolean(),
  isSynced: z.boolean(),
  isWaiverOfReimbursementOfExpenses: z.boolean(),
  taxRateId: z.int().optional(),
  taxTransactionId: z.int().optional(),
  splitTransactionId: z.int().optional(),
  cashDiscountId: z.int().optional(),
  cashDiscountAmount: z.int().optional(),
  permissions: z.strictObject({ canEdit: z.boolean().optional() }).optional(),
  meta: entityMeta.optional(),
});

const customModule = z.strictObject({ id: z.int(), name: z.string(), shorty: z.string(), description: z.string().optional(), sortKey: z.int() });
const customCategory = z.strictObject({ id: z.int(), customModuleId: z.int(), name: z.string(), shorty: z.string(), description: z.string(), data: z.string().optional() });
const customValue = z.strictObject({ id: z.int(), dataCategoryId: z.int(), value: z.string() });

function expectShape(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
}

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
});

describe('response shapes match the reference', () => {
  it('Person in lists, single reads and with tags', async () => {
    const list = (await call(standIn, 'GET', '/persons?limit=50&include[]=tags')).body as { data: unknown[]; meta: unknown };
    expectShape(metaPagination, list.meta);
    for (const p of list.data) expectShape(person, p);
    expectShape(person, ((await call(standIn, 'GET', '/persons/2')).body as { data: unknown }).data);
    expectShape(person, ((await call(standIn, 'GET', '/whoami')).body as { data: unknown }).data);
  });

  it('Transaction in lists and write answers, with donors as DomainObjectPerson', async () => {
    const list = (await call(standIn, 'GET', '/finance/transactions?accounting_period_id=1&limit=200')).body as { data: unknown[]; meta: unknown };
    expectShape(metaPagination, list.meta);
    for (const t of list.data) expectShape(transaction, t);
    const created = await call(standIn, 'POST', '/finance/transactions', { body: { documentDate: '2026-05-05', documentNumber: 'S-1', accountId: 2, contraAccountId: 5, amount: 100, note: 'x', donatorId: 3, donatorSpouseId: 4 } });
    expectShape(z.object({ data: z.array(transaction).length(1) }), created.body);
  });

  it('CustomModule, CustomModuleDataCategory and CustomModuleDataValue', async () => {
    const modules = (await call(standIn, 'GET', '/custommodules')).body as { data: unknown[] };
    for (const m of modules.data) expectShape(customModule, m);
    const category = await call(standIn, 'POST', '/custommodules/1/customdatacategories', { body: { customModuleId: 1, name: 'Aufträge', shorty: 'jobs', description: 'Aufträge' } });
    expectShape(z.strictObject({ data: customCategory }), category.body);
    const categoryId = (category.body as { data: { id: number } }).data.id;
    const value = await call(standIn, 'POST', `/custommodules/1/customdatacategories/${categoryId}/customdatavalues`, { body: { dataCategoryId: categoryId, value: '{"a":1}' } });
    expectShape(z.strictObject({ data: customValue }), value.body);
    const values = (await call(standIn, 'GET', `/custommodules/1/customdatacategories/${categoryId}/customdatavalues`)).body;
    expectShape(z.strictObject({ data: z.array(customValue) }), values);
  });

  it('the error envelope for validation, duplicate, not-found, forbidden and limit errors', async () => {
    const p = standIn.state.persons.get(2);
    const answers = await Promise.all([
      call(standIn, 'POST', '/persons', { body: {} }),
      call(standIn, 'POST', '/persons', { body: { firstName: p?.firstName, lastName: p?.lastName, departmentIds: [1] } }),
      call(standIn, 'GET', '/persons/424242'),
      call(standIn, 'GET', '/persons?limit=1000'),
      call(standIn, 'GET', '/custommodules/optigem-sync'),
      call(standIn, 'GET', '/finance/transactions'),
      call(standIn, 'POST', '/custommodules/1/customdatacategories/1/customdatavalues', { body: { dataCategoryId: 1, value: 'x'.repeat(10_001) } }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 404, 400, 400, 400, 400]);
    for (const a of answers) expectShape(errorEnvelope, a.body);
  });
});
