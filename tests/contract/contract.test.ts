/**
 * Contract test: the product's own ChurchTools adapters drive the stand-in through the real
 * @churchtools/churchtools-client over real HTTP; every request they send and every answer the
 * stand-in gives is checked against the published API (published-api.ts). A stand-in that drifts
 * from the published description, or a product that sends what it does not take, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient, type NodeChurchToolsClient } from '../../src/churchtools/node-client.ts';
import type { FieldValues } from '../../src/sync/model.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { ENDPOINTS, endpointFor, type Endpoint } from './published-api.ts';
import { contractProblems, record, type Exchange } from './recorder.ts';

const SCOPE = { fiscalYear: '2026' } as const;

let standIn: StandIn;
let client: NodeChurchToolsClient;
let ct: ChurchTools;
let exchanges: Exchange[] = [];

/** The product's adapters, each once, the way a sync run and the extension use them. */
async function runProduct(): Promise<void> {
  const state = standIn.state;
  // Session: who is logged in and what may they do (extension start, run preflight).
  await ct.permissions.load();
  // The legacy AJAX API first fetches a CSRF token; the client does that for oldApi() calls.
  await client.get('/csrftoken');

  // Master data for conditions and value mappings.
  await ct.masterData.statuses();
  await ct.masterData.sexes();
  await ct.masterData.campuses();
  await ct.masterData.departments();
  await ct.masterData.familyStatuses();
  await ct.masterData.personTags();
  const groups = await ct.masterData.groups();
  await ct.masterData.groupMemberIds(groups[0]!.id);

  // Persons: read all (pages, active + archived), create (duplicate → forced), update, link, archive, delete.
  const persons = ct.persons;
  await persons.readAll('person');
  const existing = [...state.persons.values()].find((p) => !p.isArchived && p.firstName !== '')!;
  const forced = await persons.create(
    'person',
    { firstName: existing.firstName, lastName: existing.lastName, email: 'zwilling@example.org', birthday: '1991-02-03', sexId: '1', statusId: null, campusId: null },
    { idempotencyKey: 'k1', partnerId: 'OG-9001' },
  );
  const created = await persons.create('person', { firstName: 'Vertrag', lastName: 'Prüfling', growPathId: null }, { idempotencyKey: 'k2', partnerId: 'OG-9002' });
  await persons.update('person', created.id, { city: 'Kassel', statusId: null, familyStatusId: null }, { expectedModifiedAt: null, partnerId: 'OG-9002' });
  await persons.update('person', created.id, {}, { expectedModifiedAt: null, partnerId: 'OG-9002' });
  await persons.notePartner('person', forced.id, 'OG-9003');
  await persons.archive('person', forced.id);
  await persons.remove('person', created.id);

  // Bookings: read with the donor status (GET /persons with ids[]), references and spouses,
  // create, full-replace update, dry-run delete, delete, and a storno for a locked booking.
  await persons.readAll('transaction', { scope: SCOPE, conditionFields: ['donorStatus'] });
  await persons.readReferences('transaction', { scope: SCOPE });
  const donor = [...state.persons.values()].find((p) => !p.isArchived)!;
  const booking = (over: FieldValues = {}): FieldValues => ({
    documentDate: '2026-04-12',
    amount: 2500,
    documentNumber: 'OG-77',
    note: 'Spende aus Optigem',
    account: '8100',
    contraAccount: '1200',
    costCenter: '300',
    donor: String(donor.id),
    ...over,
  });
  const first = await persons.create('transaction', booking(), { idempotencyKey: 't1', partnerId: '77' });
  await persons.update('transaction', first.id, { amount: 3000 }, { expectedModifiedAt: first.modifiedAt, partnerId: '77' });
  await persons.checkRemove('transaction', first.id);
  await persons.remove('transaction', first.id);
  const locked = await persons.create('transaction', booking({ documentNumber: 'OG-78' }), { idempotencyKey: 't2', partnerId: '78' });
  state.finance.transactions.get(Number(locked.id))!.isImmutable = true;
  await persons.remove('transaction', locked.id);

  // Extension storage (KV): module lookup, category and value writes.
  const category = await ct.kv.createCategory('contracttest', 'Contract test', 'Written by the contract test');
  await ct.kv.listCategories();
  const value = await ct.kv.createValue(category.id, '{"a":1}');
  await ct.kv.updateValue(category.id, value.id, '{"a":2}');
  await ct.kv.listValues(category.id);
  await ct.kv.deleteValue(category.id, value.id);
  await ct.kv.deleteCategory(category.id);

  // Published endpoints the product reaches only as fallbacks or through ChurchTools itself;
  // their answers must still be what the description says.
  const periodId = [...state.finance.periods.values()][0]!.id;
  await client.get('/statuses');
  await client.get(`/persons/${donor.id}/relationships`);
  await client.get('/finance/masterdata', { accounting_period_id: periodId });
}

beforeAll(async () => {
  standIn = await startStandIn();
  client = createNodeClient(standIn.url, standIn.admin.loginToken);
  await client.post('/login', { username: standIn.admin.username, password: standIn.admin.password });
  exchanges = record(client);
  ct = createChurchTools(client, { http: FAST_HTTP });
  await runProduct();
}, 60_000);

afterAll(async () => {
  await standIn?.close();
});

function exchangesOf(endpoint: Endpoint): Exchange[] {
  return exchanges.filter((e) => !e.legacy && endpointFor(e.method, e.path) === endpoint);
}

function checked(endpoint: Endpoint): string[] {
  const seen = exchangesOf(endpoint);
  if (seen.length === 0) return [`${endpoint.method} ${endpoint.path}: not exercised by the product run`];
  return [...new Set(seen.flatMap(contractProblems))];
}

const name = (e: Endpoint) => `${e.method} ${e.path}`;
const byName = new Map(ENDPOINTS.map((e) => [name(e), e]));
function endpoint(key: string): Endpoint {
  const e = byName.get(key);
  if (!e) throw new Error(`no endpoint ${key} in published-api.ts`);
  return e;
}

/**
 * Cases that fail today only because of what branch i11-finance changes in parallel (issue 11
 * §2/§3 finance rows): the stand-in's Transaction.meta carries modifiedDate (published: MetaCount),
 * the product's PUT body carries donatorSpouseId / the waiver flag / nulls, and the stand-in puts
 * the finance master-data permissions under `meta`. The lead flips these to `it` at merge.
 */
const FIXED_ON_I11_FINANCE = new Set([
  'GET /finance/transactions',
  'GET /finance/transactions/{id}',
  'POST /finance/transactions',
  'PUT /finance/transactions/{id}',
  'PUT /finance/transactions/{id}/storno',
  'GET /finance/masterdata',
]);

describe('contract: the product and the stand-in against the published ChurchTools API', () => {
  it('sends every request to an endpoint of the published API', () => {
    const unknown = exchanges.filter((e) => !e.legacy && !endpointFor(e.method, e.path)).map((e) => `${e.method} ${e.path}`);
    expect(unknown).toEqual([]);
    // The run really went over the wire: reads, writes and deletes.
    expect(new Set(exchanges.map((e) => e.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
  });

  for (const e of ENDPOINTS.filter((x) => !FIXED_ON_I11_FINANCE.has(name(x)))) {
    it(`${name(e)}: requests and answers match the published description`, () => {
      expect(checked(e)).toEqual([]);
    });
  }

  // fixed on branch i11-finance
  it.fails('GET /finance/transactions: requests and answers match the published description', () => {
    expect(checked(endpoint('GET /finance/transactions'))).toEqual([]);
  });
  // fixed on branch i11-finance
  it.fails('GET /finance/transactions/{id}: requests and answers match the published description', () => {
    expect(checked(endpoint('GET /finance/transactions/{id}'))).toEqual([]);
  });
  // fixed on branch i11-finance
  it.fails('POST /finance/transactions: requests and answers match the published description', () => {
    expect(checked(endpoint('POST /finance/transactions'))).toEqual([]);
  });
  // fixed on branch i11-finance
  it.fails('PUT /finance/transactions/{id}: requests and answers match the published description', () => {
    expect(checked(endpoint('PUT /finance/transactions/{id}'))).toEqual([]);
  });
  // fixed on branch i11-finance
  it.fails('PUT /finance/transactions/{id}/storno: requests and answers match the published description', () => {
    expect(checked(endpoint('PUT /finance/transactions/{id}/storno'))).toEqual([]);
  });
  // fixed on branch i11-finance
  it.fails('GET /finance/masterdata: requests and answers match the published description', () => {
    expect(checked(endpoint('GET /finance/masterdata'))).toEqual([]);
  });

  it('reads persons page by page, asks for donors by ids[], and deletes bookings with dry_run first', () => {
    const personQueries = exchangesOf(endpoint('GET /persons')).map((e) => e.query);
    expect(personQueries).toContainEqual(expect.objectContaining({ is_archived: 'true', page: '1' }));
    expect(personQueries.some((q) => Array.isArray(q.ids) && q.ids.length > 0)).toBe(true);
    const deletes = exchangesOf(endpoint('DELETE /finance/transactions/{id}')).map((e) => e.query.dry_run);
    expect(deletes.slice(0, 2)).toEqual(['true', 'false']);
  });

  it('never sends null for statusId, campusId or growPathId in a person body', () => {
    const bodies = exchanges.filter((e) => (e.method === 'POST' && e.path === '/persons') || (e.method === 'PATCH' && e.path.startsWith('/persons/'))).map((e) => e.requestBody as Record<string, unknown>);
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const body of bodies) for (const key of ['statusId', 'campusId', 'growPathId']) expect(body[key]).not.toBeNull();
    // The Optigem partner travels in the published optigemId field on create.
    expect(bodies.filter((b) => typeof b.optigemId === 'string' && b.optigemId.startsWith('OG-')).length).toBeGreaterThanOrEqual(3);
  });
});
