import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { addUser, grantModuleRights, viewerPermissions } from '../../dev/standin/state.ts';
import { adminClient, call, clientError } from './helpers.ts';

interface CustomModule {
  id: number;
  shorty: string;
}
interface Category {
  id: number;
  customModuleId: number;
  name: string;
  shorty: string;
  description: string;
  data?: string;
}
interface Value {
  id: number;
  dataCategoryId: number;
  value: string;
}

let standIn: StandIn;
let moduleId: number;
const helperToken = 'helper-token';

beforeAll(async () => {
  standIn = await startStandIn();
  // A second user (an existing parish member) who has no rights on the extension's module yet.
  addUser(standIn.state, { personId: 10, username: 'helfer@example.org', password: 'demo', loginToken: helperToken }, viewerPermissions());
});
afterAll(async () => {
  await standIn.close();
});

describe('finding the extension module', () => {
  it('finds the installed module by listing and matching its shorty', async () => {
    const client = await adminClient(standIn);
    const modules = await client.get<CustomModule[]>('/custommodules');
    const own = modules.find((m) => m.shorty === 'optigem-sync');
    expect(own).toBeDefined();
    moduleId = own?.id ?? 0;
    expect((await client.get<CustomModule>(`/custommodules/${moduleId}`)).shorty).toBe('optigem-sync');
  });

  it('rejects the extension key in place of the numeric id with 400 validation.integer', async () => {
    const error = await clientError((await adminClient(standIn)).get('/custommodules/optigem-sync'));
    expect(error.status).toBe(400);
    expect(error.data.messageKey).toBe('validation.integer');
  });

  it('answers an unknown module id with 404 "CustomModule [999] not found"', async () => {
    const res = await call(standIn, 'GET', '/custommodules/999');
    expect(res.status).toBe(404);
    expect((res.body as { message: string }).message).toBe('CustomModule [999] not found');
  });
});

describe('categories and values', () => {
  it('stores JSON strings in a category and reads the whole category back', async () => {
    const client = await adminClient(standIn);
    const category = await client.post<Category>(`/custommodules/${moduleId}/customdatacategories`, { customModuleId: moduleId, name: 'Verbindungen', shorty: 'connections', description: 'Optigem-Verbindungen', data: '{"schema":1}' });
    expect(category).toMatchObject({ customModuleId: moduleId, shorty: 'connections', data: '{"schema":1}' });
    const base = `/custommodules/${moduleId}/customdatacategories/${category.id}/customdatavalues`;
    const first = await client.post<Value>(base, { dataCategoryId: category.id, value: JSON.stringify({ id: 'a', revision: 1 }) });
    const second = await client.post<Value>(base, { dataCategoryId: category.id, value: JSON.stringify({ id: 'b', revision: 1 }) });
    const all = await client.get<Value[]>(base);
    expect(all.map((v) => v.id)).toEqual([first.id, second.id]);

    const replaced = await client.put<Value>(`${base}/${first.id}`, { dataCategoryId: category.id, value: JSON.stringify({ id: 'a', revision: 2 }) });
    expect(JSON.parse(replaced.value)).toEqual({ id: 'a', revision: 2 });
    await client.deleteApi(`${base}/${second.id}`);
    expect((await client.get<Value[]>(base)).map((v) => v.id)).toEqual([first.id]);

    const renamed = await client.put<Category>(`/custommodules/${moduleId}/customdatacategories/${category.id}`, { customModuleId: moduleId, name: 'Verbindungen 2', shorty: 'connections', description: 'neu' });
    expect(renamed.name).toBe('Verbindungen 2');
    expect(renamed.data).toBeUndefined();
  });

  it('sends no ETag and ignores paging or filter parameters on value reads', async () => {
    const category = ((await call(standIn, 'POST', `/custommodules/${moduleId}/customdatacategories`, { body: { customModuleId: moduleId, name: 'Paare', shorty: 'pairs', description: 'Personen-Paare' } })).body as { data: Category }).data;
    const base = `/custommodules/${moduleId}/customdatacategories/${category.id}/customdatavalues`;
    for (let i = 0; i < 12; i++) await call(standIn, 'POST', base, { body: { dataCategoryId: category.id, value: String(i) } });
    const res = await call(standIn, 'GET', `${base}?limit=5&page=2&value=3`);
    expect((res.body as { data: Value[] }).data).toHaveLength(12);
    expect(res.body).not.toHaveProperty('meta');
    expect(res.headers.get('etag')).toBeNull();
  });

  it('accepts a value of exactly 10,000 characters and rejects a longer one', async () => {
    const category = ((await call(standIn, 'POST', `/custommodules/${moduleId}/customdatacategories`, { body: { customModuleId: moduleId, name: 'Protokoll', shorty: 'logs', description: 'Protokoll' } })).body as { data: Category }).data;
    const base = `/custommodules/${moduleId}/customdatacategories/${category.id}/customdatavalues`;
    expect((await call(standIn, 'POST', base, { body: { dataCategoryId: category.id, value: 'x'.repeat(10_000) } })).status).toBe(201);
    const tooLong = await call(standIn, 'POST', base, { body: { dataCategoryId: category.id, value: 'x'.repeat(10_001) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ messageKey: 'validation.error', errors: [expect.objectContaining({ fieldId: 'value' })] });
  });

  it('rejects category data over 2,000 characters', async () => {
    const res = await call(standIn, 'POST', `/custommodules/${moduleId}/customdatacategories`, { body: { customModuleId: moduleId, name: 'Zu groß', shorty: 'big', description: 'x', data: 'y'.repeat(2_001) } });
    expect(res.status).toBe(400);
  });

  it('deletes a category together with its values', async () => {
    const category = ((await call(standIn, 'POST', `/custommodules/${moduleId}/customdatacategories`, { body: { customModuleId: moduleId, name: 'Weg', shorty: 'gone', description: 'x' } })).body as { data: Category }).data;
    await call(standIn, 'POST', `/custommodules/${moduleId}/customdatacategories/${category.id}/customdatavalues`, { body: { dataCategoryId: category.id, value: 'v' } });
    expect((await call(standIn, 'DELETE', `/custommodules/${moduleId}/customdatacategories/${category.id}`)).status).toBe(204);
    expect([...standIn.state.customValues.values()].some((v) => v.dataCategoryId === category.id)).toBe(false);
  });
});

describe('module rights', () => {
  it('shows nothing and forbids access to a user without module rights', async () => {
    const list = await call(standIn, 'GET', '/custommodules', { auth: helperToken });
    expect((list.body as { data: unknown[] }).data).toEqual([]);
    expect((await call(standIn, 'GET', `/custommodules/${moduleId}`, { auth: helperToken })).status).toBe(403);
    expect((await call(standIn, 'GET', `/custommodules/${moduleId}/customdatacategories`, { auth: helperToken })).status).toBe(403);
    const perms = (await call(standIn, 'GET', '/permissions/global', { auth: helperToken })).body as { data: Record<string, Record<string, unknown>> };
    expect(perms.data['optigem-sync']).toEqual({
      view: false,
      'create custom category': false,
      'view custom category': [],
      'edit custom category': [],
      'delete custom category': [],
      'view custom data': [],
      'create custom data': [],
      'edit custom data': [],
      'delete custom data': [],
    });
  });

  it('lists the categories a right covers as id arrays once rights are granted', async () => {
    grantModuleRights(standIn.state, 10, 'optigem-sync', { view: true, createCategory: false, viewCategory: 'all', editCategory: [], deleteCategory: [], viewData: 'all', createData: [], editData: [], deleteData: [] });
    const perms = (await call(standIn, 'GET', '/permissions/global', { auth: helperToken })).body as { data: Record<string, Record<string, unknown>> };
    const categoryIds = [...standIn.state.customCategories.values()].filter((c) => c.customModuleId === moduleId).map((c) => c.id);
    expect(perms.data['optigem-sync']?.['view custom data']).toEqual(categoryIds);
    expect(perms.data['optigem-sync']?.['edit custom data']).toEqual([]);
    const categoryId = categoryIds[0] ?? 0;
    const base = `/custommodules/${moduleId}/customdatacategories/${categoryId}/customdatavalues`;
    expect((await call(standIn, 'GET', base, { auth: helperToken })).status).toBe(200);
    expect((await call(standIn, 'POST', base, { auth: helperToken, body: { dataCategoryId: categoryId, value: 'nope' } })).status).toBe(403);
    expect((await call(standIn, 'POST', `/custommodules/${moduleId}/customdatacategories`, { auth: helperToken, body: { customModuleId: moduleId, name: 'x', shorty: 'xx', description: 'x' } })).status).toBe(403);
  });

  it('reports the admin rights and the core modules in the global permissions', async () => {
    const client = await adminClient(standIn);
    const perms = await client.get<Record<string, Record<string, unknown>>>('/permissions/global');
    expect(perms.churchdb).toMatchObject({ view: true, 'create person': true, 'delete persons': true, 'push/pull archive': true });
    expect(perms.finance).toMatchObject({ view: true });
    expect(perms.churchcore).toMatchObject({ 'administer custom modules': true });
    expect(perms['optigem-sync']).toMatchObject({ view: true, 'create custom category': true });
  });
});
