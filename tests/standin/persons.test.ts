import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { addUser, viewerPermissions } from '../../dev/standin/state.ts';
import { adminClient, call, clientError, nodeClient } from './helpers.ts';

interface ApiPerson {
  id: number;
  firstName: string;
  lastName: string;
  birthday: string | null;
  statusId: number;
  isArchived: boolean;
  optigemId: string;
  email: string;
  emails: { email: string; isDefault: boolean }[];
  departmentIds: number[];
  tags?: { id: number; name: string }[];
  meta: { createdDate: string; modifiedDate: string; modifiedPerson: { id: number } };
}

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
});

describe('reading people', () => {
  it('pages through all non-archived people, sorted by last name then first name', async () => {
    const client = await adminClient(standIn);
    const people = await client.getAllPages<ApiPerson>('/persons', {}, 100);
    const expected = [...standIn.state.persons.values()].filter((p) => !p.isArchived);
    expect(people).toHaveLength(expected.length);
    expect(people.every((p) => !p.isArchived)).toBe(true);
    const keys = people.map((p) => [p.lastName, p.firstName] as const);
    const sorted = [...keys].sort((a, b) => a[0].localeCompare(b[0], 'de') || a[1].localeCompare(b[1], 'de'));
    expect(keys).toEqual(sorted);
  });

  it('answers each page with the data/meta.pagination envelope and the default limit of 10', async () => {
    const first = await call(standIn, 'GET', '/persons');
    const body = first.body as { data: unknown[]; meta: { pagination: { current: number; lastPage: number; limit: number; total: number } } };
    const total = [...standIn.state.persons.values()].filter((p) => !p.isArchived).length;
    expect(body.data).toHaveLength(10);
    expect(body.meta.pagination).toEqual({ current: 1, lastPage: Math.ceil(total / 10), limit: 10, total });
    const last = await call(standIn, 'GET', `/persons?limit=500&page=2`);
    expect((last.body as { data: unknown[] }).data).toEqual([]);
  });

  it('rejects a page size above the maximum with the "maximal" message', async () => {
    const client = await adminClient(standIn);
    const error = await clientError(client.get('/persons', { limit: 501 }));
    expect(error.status).toBe(400);
    expect(error.data.message).toBe('Die Nummer kann maximal 500 sein.');
    expect(error.data.errors).toEqual([expect.objectContaining({ fieldId: 'limit' })]);
  });

  it('lists archived people only when asked with is_archived=true', async () => {
    const archived = await call(standIn, 'GET', '/persons?is_archived=true&limit=500');
    const data = (archived.body as { data: ApiPerson[] }).data;
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((p) => p.isArchived)).toBe(true);
  });

  it('filters server-side by ids[], status_ids[] and birthday range only', async () => {
    const byIds = (await call(standIn, 'GET', '/persons?ids[]=2&ids[]=3')).body as { data: ApiPerson[] };
    expect(byIds.data.map((p) => p.id).sort()).toEqual([2, 3]);
    const members = (await call(standIn, 'GET', '/persons?status_ids[]=1&limit=500')).body as { data: ApiPerson[] };
    expect(members.data.every((p) => p.statusId === 1)).toBe(true);
    const old = (await call(standIn, 'GET', '/persons?birthday_before=1950-01-01&limit=500')).body as { data: ApiPerson[] };
    expect(old.data.length).toBeGreaterThan(0);
    expect(old.data.every((p) => p.birthday !== null && p.birthday <= '1950-01-01')).toBe(true);
  });

  it('adds tags only with include[]=tags', async () => {
    const tagged = [...standIn.state.persons.values()].find((p) => p.tagIds.length > 0 && !p.isArchived);
    if (!tagged) throw new Error('demo data has tagged people');
    const plain = (await call(standIn, 'GET', `/persons?ids[]=${tagged.id}`)).body as { data: ApiPerson[] };
    expect(plain.data[0]?.tags).toBeUndefined();
    const withTags = (await call(standIn, 'GET', `/persons?ids[]=${tagged.id}&include[]=tags`)).body as { data: ApiPerson[] };
    expect(withTags.data[0]?.tags?.length).toBe(tagged.tagIds.length);
  });

  it('answers an unknown person with 404 and the error envelope', async () => {
    const res = await call(standIn, 'GET', '/persons/999999');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: expect.any(String), messageKey: expect.any(String), errors: [] });
  });

  it('reads spouses from both endpoints and sees relationships added through the legacy AJAX API', async () => {
    const client = await adminClient(standIn);
    const spouse = standIn.state.relationships.find((r) => r.relationshipTypeId === 2);
    if (!spouse) throw new Error('demo data has couples');
    const rels = await client.get<{ relationshipTypeId: number; degreeOfRelationship: string; relative: { domainIdentifier: string } }[]>(`/persons/${spouse.personAId}/relationships`);
    expect(rels).toContainEqual(expect.objectContaining({ relationshipTypeId: 2, degreeOfRelationship: 'Ehepartner', relative: expect.objectContaining({ domainIdentifier: String(spouse.personBId), domainType: 'person' }) }));

    const a = await client.post<ApiPerson>('/persons?force=true', { firstName: 'Erika', lastName: 'Muster', departmentIds: [1] });
    const b = await client.post<ApiPerson>('/persons?force=true', { firstName: 'Max', lastName: 'Muster', departmentIds: [1] });
    await client.oldApi('churchdb/ajax', 'add_rel', { id: a.id, child_id: b.id, rel_id: 2 });
    const all = await client.get<{ personAId: number; personBId: number; relationshipType: { id: number } }[]>('/persons/relationships');
    expect(all).toContainEqual(expect.objectContaining({ personAId: a.id, personBId: b.id, relationshipType: expect.objectContaining({ id: 2 }) }));
  });

  it('serves person master data, statuses and family-status options', async () => {
    const client = await adminClient(standIn);
    const md = await client.get<Record<string, { id: number; name: string }[]>>('/person/masterdata');
    expect(md.statuses?.map((s) => s.name)).toEqual(expect.arrayContaining(['Mitglied', 'Freund', 'Gast', 'Optigem', 'Ehemalig']));
    expect(md.sexes?.length).toBeGreaterThan(0);
    expect(md.relationshipTypes?.map((r) => r.name)).toContain('Ehepartner');
    expect(md).not.toHaveProperty('familyStatuses');
    const fields = await client.get<{ key: string; options?: { name: string }[] }[]>('/dbfields', { include: ['options'] });
    const family = fields.find((f) => f.key === 'familyStatusId');
    expect(family?.options?.map((o) => o.name)).toEqual(expect.arrayContaining(['ledig', 'verheiratet', 'verwitwet', 'geschieden', 'unbekannt']));
  });

  it('lists group members for "member of group" conditions', async () => {
    const client = await adminClient(standIn);
    const groups = await client.getAllPages<{ id: number; name: string }>('/groups', {}, 100);
    const choir = groups.find((g) => g.name === 'Kirchenchor');
    expect(choir).toBeDefined();
    const members = await client.getAllPages<{ personId: number; person: { domainIdentifier: string } }>(`/groups/${choir?.id}/members`, {}, 10);
    expect(members.length).toBe(standIn.state.groupMembers.filter((m) => m.groupId === choir?.id).length);
  });
});

describe('writing people', () => {
  it('rejects a person with the same name as an existing one, then creates it with force', async () => {
    const client = await adminClient(standIn);
    const existing = standIn.state.persons.get(2);
    if (!existing) throw new Error('person 2 exists');
    const body = { firstName: existing.firstName, lastName: existing.lastName, departmentIds: [1] };
    const error = await clientError(client.post('/persons', body));
    expect(error.status).toBe(400);
    expect(error.data).toMatchObject({ messageKey: 'forbidden.duplicate.person', message: 'Duplicate found. Use force flag to create person with same name.', args: [], errors: [] });

    const created = await client.post<ApiPerson>('/persons?force=true', body);
    expect(created.id).toBeGreaterThan(0);
    const viaPhp = await call(standIn, 'POST', '/persons?force=1', { body });
    expect(viaPhp.status).toBe(200);
  });

  it('requires first name, last name and at least one department', async () => {
    const res = await call(standIn, 'POST', '/persons', { body: { firstName: 'Nur', departmentIds: [] } });
    expect(res.status).toBe(400);
    const body = res.body as { messageKey: string; errors: { fieldId: string }[] };
    expect(body.messageKey).toBe('validation.error');
    expect(body.errors.map((e) => e.fieldId).sort()).toEqual(['departmentIds', 'lastName']);
  });

  it('rejects unknown master-data ids with the valid options', async () => {
    const res = await call(standIn, 'POST', '/persons', { body: { firstName: 'Ida', lastName: 'Irrtum', departmentIds: [1], statusId: 99 } });
    expect(res.status).toBe(400);
    expect((res.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ fieldId: 'statusId', messageKey: 'validation.db.field.option', args: { validOptions: [1, 2, 3, 4, 5] } })]);
  });

  it('creates a person with 200 (as published), an empty optigemId and Zulu meta dates', async () => {
    const res = await call(standIn, 'POST', '/persons', { body: { firstName: 'Jörg', lastName: 'Weiß-Größ', departmentIds: [2], email: 'joerg@example.org', birthday: '1970-05-04' } });
    expect(res.status).toBe(200);
    const p = (res.body as { data: ApiPerson }).data;
    expect(p).toMatchObject({ firstName: 'Jörg', lastName: 'Weiß-Größ', optigemId: '', isArchived: false, departmentIds: [2], email: 'joerg@example.org' });
    expect(p.emails).toEqual([expect.objectContaining({ email: 'joerg@example.org', isDefault: true })]);
    expect(p.meta.createdDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('changes only the given fields with PATCH and moves modifiedDate forward', async () => {
    const p = standIn.state.persons.get(5);
    if (!p) throw new Error('person 5 exists');
    const before = { ...p, meta: { ...p.meta } };
    const original = standIn.state.now;
    standIn.state.now = () => new Date('2026-11-20T10:11:12.345Z');
    try {
      const client = await adminClient(standIn);
      const updated = await client.patch<ApiPerson>('/persons/5', { optigemId: '4711', city: 'Tübingen' });
      expect(updated).toMatchObject({ optigemId: '4711', firstName: before.firstName, lastName: before.lastName, email: before.email, birthday: before.birthday });
      expect(updated.meta.modifiedDate).toBe('2026-11-20T10:11:12Z');
      expect(updated.meta.createdDate).toBe(before.meta.createdDate);
    } finally {
      standIn.state.now = original;
    }
  });

  it('refuses to remove the last department', async () => {
    const res = await call(standIn, 'PATCH', '/persons/5', { body: { departmentIds: [] } });
    expect(res.status).toBe(400);
  });

  it('archives and restores with 204, and the archived person leaves the default list', async () => {
    const archive = await call(standIn, 'POST', '/persons/6/archive', { body: { archived: true } });
    expect(archive.status).toBe(204);
    expect(archive.body).toBeNull();
    const list = (await call(standIn, 'GET', '/persons?ids[]=6')).body as { data: unknown[] };
    expect(list.data).toEqual([]);
    expect(((await call(standIn, 'GET', '/persons/6')).body as { data: ApiPerson }).data.isArchived).toBe(true);
    expect((await call(standIn, 'POST', '/persons/6/archive', { body: { archived: false } })).status).toBe(204);
    expect(standIn.state.persons.get(6)?.isArchived).toBe(false);
  });

  it('deletes with 204, after which the person is gone', async () => {
    const res = await call(standIn, 'DELETE', '/persons/7');
    expect(res.status).toBe(204);
    expect((await call(standIn, 'GET', '/persons/7')).status).toBe(404);
  });

  it('forbids writes to a user without the churchdb write rights', async () => {
    addUser(standIn.state, { personId: 8, username: 'leser@example.org', password: 'lesen', loginToken: 'reader-token' }, viewerPermissions());
    const res = await call(standIn, 'PATCH', '/persons/9', { auth: 'reader-token', body: { city: 'X' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ messageKey: 'forbidden' });
  });
});

describe('authentication', () => {
  it('answers 401 "Session expired!" to unauthenticated calls that send X-OnlyAuthenticated', async () => {
    const res = await call(standIn, 'GET', '/persons', { auth: false, headers: { 'X-OnlyAuthenticated': '1' } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Session expired!' });
  });

  it('treats callers without that header as the anonymous user with empty lists', async () => {
    const me = await call(standIn, 'GET', '/whoami', { auth: false });
    expect((me.body as { data: { id: number } }).data.id).toBe(-1);
    const people = await call(standIn, 'GET', '/persons', { auth: false });
    expect(people.status).toBe(200);
    expect((people.body as { data: unknown[] }).data).toEqual([]);
    expect((await call(standIn, 'GET', '/whoami?only_allow_authenticated=true', { auth: false })).status).toBe(401);
  });

  it('rejects a wrong password and logs in with the right one via a session cookie', async () => {
    const bad = await call(standIn, 'POST', '/login', { auth: false, body: { username: standIn.admin.username, password: 'falsch' } });
    expect(bad.status).toBe(400);
    const client = nodeClient(standIn.url);
    const login = await client.post<{ status: string; personId: number }>('/login', { username: standIn.admin.username, password: standIn.admin.password });
    expect(login).toMatchObject({ status: 'success', personId: standIn.admin.personId });
    expect((await client.get<{ id: number }>('/whoami')).id).toBe(standIn.admin.personId);
  });

  it('re-logs in transparently with the login token when the session has expired', async () => {
    const client = nodeClient(standIn.url, standIn.admin.loginToken);
    expect((await client.get<{ id: number }>('/whoami')).id).toBe(standIn.admin.personId);
    standIn.state.sessions.clear();
    standIn.resetRequests();
    const people = await client.get<ApiPerson[]>('/persons', { limit: 5 });
    expect(people).toHaveLength(5);
    expect(standIn.requests.map((r) => [r.path, r.status])).toEqual([
      ['/persons', 401],
      ['/whoami', 200],
      ['/persons', 200],
    ]);
    expect(standIn.requests[1]?.query).toContain(`login_token=${standIn.admin.loginToken}`);
  });

  it('accepts the Authorization: Login header without any cookie', async () => {
    const res = await call(standIn, 'GET', '/whoami', { headers: { 'X-OnlyAuthenticated': '1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers unknown routes with 404 and the error envelope', async () => {
    const res = await call(standIn, 'GET', '/does/not/exist');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: expect.any(String), messageKey: 'not.found', args: [], errors: [] });
  });
});
