import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeClient } from '../../src/optigem/client.ts';
import { BridgeError } from '../../src/optigem/errors.ts';
import type { ListQuery, PersonPage } from '../../src/optigem/schemas.ts';
import { OptigemSystemPort } from '../../src/optigem/system-port.ts';
import { PortError } from '../../src/sync/ports.ts';
import { startTestBridge } from './helpers.ts';
import type { TestBridge } from './helpers.ts';

let t: TestBridge;
let client: BridgeClient;
beforeAll(async () => {
  t = await startTestBridge();
  client = new BridgeClient({ baseUrl: `${t.url}/`, token: t.rw });
});
afterAll(async () => {
  await t.close();
});

async function failure(promise: Promise<unknown>): Promise<BridgeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof BridgeError)) throw new Error(`expected a BridgeError, got ${String(error)}`);
  return error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('BridgeClient', () => {
  it('reads health, meta and persons, validated against the shared schemas', async () => {
    expect((await client.health()).status).toBe('ok');
    expect((await client.meta()).fiscalYears.map((f) => f.year)).toEqual([2025, 2026]);
    const page = await client.listPersons({ limit: 5 });
    expect(page.items).toHaveLength(5);
    expect((await client.donor0Report(2026)).count).toBeGreaterThan(0);
    expect((await client.accounts(2026)).length).toBeGreaterThan(0);
  });

  it('names a wrong token "unauthorized" and a read-only token "readOnlyToken"', async () => {
    const wrong = await failure(new BridgeClient({ baseUrl: t.url, token: 'nope' }).meta());
    expect(wrong.kind).toBe('unauthorized');
    expect(wrong.status).toBe(401);
    const readOnly = await failure(new BridgeClient({ baseUrl: t.url, token: t.ro }).createPerson({ lastName: 'X' }));
    expect(readOnly.kind).toBe('readOnlyToken');
    expect(readOnly.message).toMatch(/read-write token/);
  });

  it('names a stale ETag "changed" and a bad body "validation" with field errors', async () => {
    const person = (await client.listPersons({ limit: 1 })).items[0];
    if (!person) throw new Error('no person');
    await client.patchPerson(person.nr, { city: 'Nürtingen' }, person.etag);
    const stale = await failure(client.patchPerson(person.nr, { city: 'Metzingen' }, person.etag));
    expect(stale.kind).toBe('changed');
    const invalid = await failure(client.createPerson({ lastName: 'X', birthday: 'gestern' }));
    expect(invalid.kind).toBe('validation');
    expect(invalid.fields.map((f) => f.path)).toEqual(['birthday']);
    expect(invalid.i18nKey).toBe('optigem.bridgeError.validation');
  });

  it('names a bridge that does not answer "unreachable"', async () => {
    const error = await failure(new BridgeClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: 'x', timeoutMs: 2000 }).health());
    expect(error.kind).toBe('unreachable');
    expect(error.retryable).toBe(true);
  });
});

describe('OptigemSystemPort', () => {
  it('reads every person across pages with Optigem field names and normalised values', async () => {
    const port = new OptigemSystemPort(client, { pageSize: 40 });
    const result = await port.readAll('person');
    expect(result.complete).toBe(true);
    const total = (await client.listPersons({ limit: 1 })).total;
    expect(result.records).toHaveLength(total);
    const record = result.records.find((r) => r.properties['Vorname'] === 'Max und Erika');
    expect(record?.properties).toMatchObject({ Nachname: 'Muster', EMail: 'familie.muster@example.org', Geburtsdatum: null, Kategorien: ['100', '160', '310'] });
    expect(record?.modifiedAt).toMatch(/Z$/);
    expect(port.coupleOf(record?.id ?? '')).toEqual(['Max', 'Erika']);
    expect(port.identity).toEqual({ firstName: 'Vorname', lastName: 'Nachname', email: 'EMail', birthday: 'Geburtsdatum', address: ['Straße', 'PLZ', 'Ort'] });
  });

  it('reports a failing page as an incomplete read instead of throwing', async () => {
    class FlakyClient extends BridgeClient {
      override async listPersons(query: ListQuery = {}): Promise<PersonPage> {
        if (query.after !== undefined) throw new BridgeError('server', { url: t.url, status: 503 });
        return super.listPersons(query);
      }
    }
    const port = new OptigemSystemPort(new FlakyClient({ baseUrl: t.url, token: t.rw }), { pageSize: 50 });
    const result = await port.readAll('person');
    expect(result.complete).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.what).toMatch(/^page after \d+ of \/v1\/persons$/);
    expect(result.records.length).toBe(50);
  });

  it('creates once per idempotency key, even when asked twice', async () => {
    const port = new OptigemSystemPort(client);
    const values = { Vorname: 'Tabea', Nachname: 'Zweimal', EMail: '', Kategorien: ['150'] };
    const first = await port.create('person', values, { idempotencyKey: 'ct:person:9001', partnerId: '9001' });
    const second = await port.create('person', values, { idempotencyKey: 'ct:person:9001', partnerId: '9001' });
    expect(second.id).toBe(first.id);
    expect(first.properties).toMatchObject({ Vorname: 'Tabea', EMail: null, Kategorien: ['150'] });
  });

  it('updates with the ETag of its last read and refuses when Optigem changed the person since', async () => {
    const port = new OptigemSystemPort(client);
    const { records } = await port.readAll('person');
    const target = records.find((r) => r.properties['Nachname'] === 'Zweimal');
    if (!target) throw new Error('created person missing');
    const updated = await port.update('person', target.id, { Ort: 'Stuttgart', Geburtsdatum: '1990-02-03' }, { expectedModifiedAt: target.modifiedAt, partnerId: '9001' });
    expect(updated.properties).toMatchObject({ Ort: 'Stuttgart', Geburtsdatum: '1990-02-03' });

    t.rawDb().prepare('UPDATE "Spender" SET "Ort" = ? WHERE "Nr" = ?').run('Esslingen', Number(target.id));
    const error = await port.update('person', target.id, { EMail: 'tabea@example.org' }, { expectedModifiedAt: updated.modifiedAt, partnerId: '9001' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect((error as PortError).code).toBe('changedSinceRead');
  });

  it('archives and deletes through the bridge', async () => {
    const port = new OptigemSystemPort(client);
    const created = await port.create('person', { Nachname: 'Archivar' }, { idempotencyKey: 'ct:person:9002', partnerId: '9002' });
    await port.archive('person', created.id);
    expect((await client.getPerson(Number(created.id))).archived).toBe(true);
    await port.remove('person', created.id);
    expect((await failure(client.getPerson(Number(created.id)))).kind).toBe('notFound');
  });

  it('turns bridge and value problems into PortErrors with codes', async () => {
    const port = new OptigemSystemPort(client);
    await expect(port.readAll('transaction')).rejects.toMatchObject({ code: 'noFiscalYearScope' });
    await expect(port.archive('transaction', '1')).rejects.toMatchObject({ code: 'archiveNotForTransactions' });
    await expect(port.create('person', { Lieblingsfarbe: 'blau', Nachname: 'X' }, { idempotencyKey: 'k', partnerId: '1' })).rejects.toMatchObject({
      code: 'unknownProperty',
      args: { property: 'Lieblingsfarbe' },
    });
    await expect(port.create('person', { Vorname: 'Ohne' }, { idempotencyKey: 'k2', partnerId: '1' })).rejects.toMatchObject({ code: 'missingLastName' });
    const readOnly = new OptigemSystemPort(new BridgeClient({ baseUrl: t.url, token: t.ro }));
    await expect(readOnly.create('person', { Nachname: 'X' }, { idempotencyKey: 'k3', partnerId: '1' })).rejects.toMatchObject({ code: 'bridgeReadOnly' });
  });
});
