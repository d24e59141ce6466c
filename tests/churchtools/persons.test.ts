import { afterEach, describe, expect, it } from 'vitest';
import { POSSIBLE_DUPLICATE, PortError } from '../../src/sync/ports.ts';
import { harness, type Harness } from './helpers.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('ChurchToolsSystemPort: reading persons', () => {
  it('reads every page, active and archived, with the page size the server allows', async () => {
    h = await harness({ maxPageSize: 100 });
    const all = [...h.standIn.state.persons.values()];
    const result = await h.ct.persons.readAll('person');
    expect(result.complete).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.records).toHaveLength(all.length);
    expect(result.records.filter((r) => r.archived)).toHaveLength(all.filter((p) => p.isArchived).length);

    const gets = h.standIn.requests.filter((r) => r.method === 'GET' && r.path === '/persons');
    // limit 500 is refused once, then 100 is used for every page of both halves.
    expect(gets[0]).toMatchObject({ status: 400 });
    expect(gets[0]!.query).toContain('limit=500');
    expect(gets.slice(1).every((r) => r.query.includes('limit=100') && r.status === 200)).toBe(true);
    expect(gets.filter((r) => r.query.includes('is_archived=false'))).toHaveLength(1 + Math.ceil(all.filter((p) => !p.isArchived).length / 100));
    expect(gets.filter((r) => r.query.includes('is_archived=true'))).toHaveLength(1);

    // Values come normalised: ids as strings, dates YYYY-MM-DD, empty → null.
    const sample = result.records.find((r) => r.id === '1')!;
    const stored = h.standIn.state.persons.get(1)!;
    expect(sample.properties.firstName).toBe(stored.firstName);
    expect(sample.properties.statusId).toBe(String(stored.statusId));
    expect(sample.properties.departmentIds).toEqual(stored.departmentIds.map(String));
    expect(sample.modifiedAt).toBe(stored.meta.modifiedDate);
    const empty = result.records.find((r) => h!.standIn.state.persons.get(Number(r.id))!.street === '');
    if (empty) expect(empty.properties.street).toBeNull();
    expect(h.ct.persons.identity).toEqual({ firstName: 'firstName', lastName: 'lastName', email: 'email', birthday: 'birthday', address: ['street', 'zip', 'city'] });
  });

  it('marks the read incomplete when a page keeps failing, without throwing', async () => {
    h = await harness({}, { persons: { pageSize: 100 }, http: { readRetries: 1 } });
    // Page 1 answers, everything after it fails with 500.
    h.standIn.faults.failRequests({ method: 'GET', pathPrefix: '/persons', nth: 2, times: 1000 }, 500);
    const result = await h.ct.persons.readAll('person');
    expect(result.complete).toBe(false);
    expect(result.problems.map((p) => p.what)).toContain('page 2 of /persons');
    expect(result.problems[0]!.message).toContain('500');
    expect(result.records.length).toBe(100);
  });

  it('repeats a read after a passing 500', async () => {
    h = await harness({}, { persons: { pageSize: 100 } });
    h.standIn.faults.failRequests({ method: 'GET', pathPrefix: '/persons', nth: 2, times: 1 }, 503);
    const result = await h.ct.persons.readAll('person');
    expect(result.complete).toBe(true);
    expect(h.ct.http.stats.retries).toBe(1);
  });

  it('waits after 429 and carries on', async () => {
    h = await harness({}, { persons: { pageSize: 100 } });
    h.standIn.faults.rateLimitShare(0.5);
    const started = Date.now();
    const result = await h.ct.persons.readAll('person');
    h.standIn.faults.clear();
    expect(result.complete).toBe(true);
    expect(result.records).toHaveLength(h.standIn.state.persons.size);
    expect(h.ct.http.stats.rateLimited).toBeGreaterThan(0);
    expect(h.standIn.requests.some((r) => r.status === 429)).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gives up after too many 429s with a retryable PortError naming the cause', async () => {
    h = await harness({}, { http: { maxRateLimitRetries: 2 } });
    h.standIn.faults.failRequests({ method: 'PATCH', pathPrefix: '/persons' }, 429);
    const error = await h.ct.persons.update('person', '1', { city: 'Ulm' }, { expectedModifiedAt: null, partnerId: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect(error).toMatchObject({ code: 'standin.injected.failure', retryable: true, args: { recordId: '1', status: 429 } });
    expect(h.standIn.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
  });

  it('refuses to read transactions without a fiscal year, with a clear PortError', async () => {
    h = await harness();
    await expect(h.ct.persons.readAll('transaction')).rejects.toMatchObject({ code: 'ct.invalidScope' });
  });
});

describe('ChurchToolsSystemPort: writing persons', () => {
  // Issue 14 §1: "`force=true` is sent only for a record an admin decided to create anyway. ChurchTools'
  // duplicate answer during a run is a "possible duplicate" outcome of that record, never a silent retry."
  it('answers ChurchTools\' same-name refusal with a possible-duplicate PortError and no forced retry', async () => {
    h = await harness();
    const existing = h.standIn.state.persons.get(2)!;
    const before = h.standIn.state.persons.size;
    const error = await h.ct.persons
      .create('person', { firstName: existing.firstName, lastName: existing.lastName, email: 'new.one@example.org' }, { idempotencyKey: 'k1', partnerId: 'OG-4711' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect(error).toMatchObject({ code: POSSIBLE_DUPLICATE, args: { label: `${existing.lastName}, ${existing.firstName}` } });
    const posts = h.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons');
    expect(posts.map((r) => [r.status, r.query])).toEqual([[400, '']]);
    expect(h.standIn.state.persons.size).toBe(before);
  });

  it('sends force=true for a create an admin decided on, with optigemId and a default department', async () => {
    h = await harness();
    const existing = h.standIn.state.persons.get(2)!;
    const record = await h.ct.persons.create(
      'person',
      { firstName: existing.firstName, lastName: existing.lastName, email: 'new.one@example.org', birthday: '1990-02-03', sexId: '1' },
      { idempotencyKey: 'k1', partnerId: 'OG-4711', force: true },
    );
    expect(record.partnerHint).toBe('OG-4711');
    expect(record.properties.birthday).toBe('1990-02-03');
    const stored = h.standIn.state.persons.get(Number(record.id))!;
    expect(stored.optigemId).toBe('OG-4711');
    expect(stored.departmentIds.length).toBeGreaterThan(0);
    expect(stored.sexId).toBe(1);
    const posts = h.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons');
    expect(posts.map((r) => [r.status, r.query])).toEqual([[200, 'force=true']]);
  });

  it('creates without force when the name is new', async () => {
    h = await harness({}, { persons: { defaultDepartmentId: '2' } });
    const record = await h.ct.persons.create('person', { firstName: 'Zacharias', lastName: 'Neuling' }, { idempotencyKey: 'k', partnerId: '9' });
    expect(h.standIn.state.persons.get(Number(record.id))!.departmentIds).toEqual([2]);
    const posts = h.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons');
    expect(posts.map((r) => r.query)).toEqual(['']);
  });

  it('names the record and the cause when ChurchTools refuses a create', async () => {
    h = await harness();
    const error = await h.ct.persons
      .create('person', { firstName: 'Kein', lastName: 'Status', statusId: '999' }, { idempotencyKey: 'k', partnerId: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect(error).toMatchObject({ code: 'validation.error', retryable: false, args: { label: 'Status, Kein', status: 400 } });
    expect((error as PortError).message).toContain('statusId');
  });

  it('patches only the given properties (never optigemId, which is the connection setting\'s business), and converts ids back', async () => {
    h = await harness();
    await h.ct.persons.readAll('person');
    const before = structuredClone(h.standIn.state.persons.get(3)!);
    h.standIn.resetRequests();
    const record = await h.ct.persons.update('person', '3', { city: 'Ulm', campusId: String(before.campusId), street: null }, { expectedModifiedAt: null, partnerId: 'OG-3' });
    const after = h.standIn.state.persons.get(3)!;
    expect(after).toMatchObject({ city: 'Ulm', street: '', optigemId: before.optigemId, firstName: before.firstName, email: before.email });
    expect(record.properties.city).toBe('Ulm');
    expect(record.properties.street).toBeNull();
    expect(h.requests()).toEqual(['PATCH /persons/3']);
    await h.ct.persons.update('person', '3', { city: 'Neu-Ulm' }, { expectedModifiedAt: null, partnerId: 'OG-3' });
    expect(h.standIn.state.persons.get(3)!.city).toBe('Neu-Ulm');
  });

  it('archives, deletes, and notes the partner', async () => {
    h = await harness();
    await h.ct.persons.archive('person', '4');
    expect(h.standIn.state.persons.get(4)!.isArchived).toBe(true);
    const read = await h.ct.persons.readAll('person');
    expect(read.records.find((r) => r.id === '4')!.archived).toBe(true);

    await h.ct.persons.notePartner!('person', '5', 'OG-5');
    expect(h.standIn.state.persons.get(5)!.optigemId).toBe('OG-5');
    h.standIn.resetRequests();
    await h.ct.persons.notePartner!('person', '5', 'OG-5');
    expect(h.requests()).toEqual([]);

    await h.ct.persons.remove('person', '6');
    expect(h.standIn.state.persons.has(6)).toBe(false);
    await expect(h.ct.persons.remove('person', '6')).rejects.toMatchObject({ code: 'not.found', args: { recordId: '6', status: 404 } });
  });
});
