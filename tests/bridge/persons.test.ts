import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY, optigemDemoData } from '../../src/bridge/demo/optigem-demo.ts';
import { coupleDetector } from '../../src/bridge/service/couple.ts';
import { readPerson, startTestBridge } from './helpers.ts';
import type { TestBridge } from './helpers.ts';

type Json = Record<string, unknown>;
interface Page {
  items: Json[];
  total: number;
  hasMore: boolean;
  page: number;
  nextAfter: string | null;
}

const demo = optigemDemoData();
const donorNrs = new Set(demo.bookings.flatMap((b) => [b.debit.subAccount, b.credit.subAccount]).filter((nr) => nr > 0));
const plain = demo.persons.filter((p) => p.variant === 'exact' && !donorNrs.has(p.nr) && !p.archived);
const nrOf = (i: number): number => {
  const p = plain[i];
  if (!p) throw new Error('demo has too few plain persons');
  return p.nr;
};
const donor = [...donorNrs][0] ?? 0;
const muster = demo.persons.find((p) => p.firstName === 'Max und Erika');

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => {
  await t.close();
});

const json = async <T = Json>(res: Response): Promise<T> => (await res.json()) as T;
const total = async (): Promise<number> => (await json<Page>(await t.call('/v1/persons?limit=1'))).total;

describe('reading persons', () => {
  it('pages through all persons in ascending Nr and never lists Donor 0', async () => {
    const seen: number[] = [];
    let page = 1;
    let body: Page;
    do {
      body = await json<Page>(await t.call(`/v1/persons?page=${page}&limit=40`));
      seen.push(...body.items.map((p) => Number(p['nr'])));
      page++;
    } while (body.hasMore);
    expect(seen).toHaveLength(body.total);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).not.toContain(0);
    expect(body.total).toBe(demo.persons.filter((p) => p.nr !== 0).length);
  });

  it('answers a page beyond the end with no items', async () => {
    const body = await json<Page>(await t.call('/v1/persons?page=999&limit=100'));
    expect(body.items).toEqual([]);
    expect(body.hasMore).toBe(false);
  });

  it('rejects a bad paging query with 400 and names the field', async () => {
    const res = await t.call('/v1/persons?limit=5000&page=0');
    expect(res.status).toBe(400);
    const paths = (await json<{ error: { fields: { path: string }[] } }>(res)).error.fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['limit', 'page']));
  });

  it('gives each person an ETag header equal to its body etag, and a lastModified in UTC', async () => {
    const { body, etag } = await readPerson(t, nrOf(0));
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(body['etag']).toBe(etag);
    expect(String(body['lastModified'])).toMatch(/Z$/);
    expect(body['lastModifiedSource']).toBe('shadow');
  });

  it('flags couple records with their first names but leaves the record as it is', async () => {
    if (!muster) throw new Error('demo lacks the Muster couple');
    const { body } = await readPerson(t, muster.nr);
    expect(body['couple']).toEqual({ firstNames: ['Max', 'Erika'], sexes: ['male', 'female'], confidence: 'high', reason: 'firstNames' });
    expect(body['firstName']).toBe('Max und Erika');
    const single = await readPerson(t, nrOf(0));
    expect(single.body['couple']).toBeNull();
  });
});

describe('couple detection rules', () => {
  const detect = coupleDetector();
  const person = (firstName: string | null, salutation: string | null = null, letterSalutation: string | null = null) => ({ firstName, salutation, letterSalutation });

  it('splits "und", "u.", "&" and "+" between first names, with high confidence', () => {
    expect(detect(1, person('Max u. Erika'))).toMatchObject({ firstNames: ['Max', 'Erika'], confidence: 'high', reason: 'firstNames' });
    expect(detect(1, person('Hans & Grete'))).toMatchObject({ firstNames: ['Hans', 'Grete'] });
    expect(detect(1, person('Anna-Lena + Jonas'))).toMatchObject({ firstNames: ['Anna-Lena', 'Jonas'] });
  });

  it('takes a salutation naming two people as a couple, and leaves double first names alone', () => {
    expect(detect(1, person('Erika', 'Eheleute'))).toMatchObject({ firstNames: ['Erika'], confidence: 'medium', reason: 'salutation' });
    expect(detect(1, person('Hans-Peter', 'Herr', 'Lieber Hans-Peter'))).toBeNull();
  });

  it('reads the spouses\' sex from "Herr und Frau" / "Frau und Herr"', () => {
    expect(detect(1, person('Max und Erika', 'Herr und Frau'))?.sexes).toEqual(['male', 'female']);
    expect(detect(1, person('Erika und Max', 'Frau und Herrn'))?.sexes).toEqual(['female', 'male']);
    expect(detect(1, person('Max und Erika', null, 'Liebe Familie Muster'))).toMatchObject({ sexes: [null, null], reason: 'firstNamesFamily' });
  });

  it('does not take one person addressed as a family for a couple', () => {
    expect(detect(1, person('Anna', 'Frau', 'Liebe Familie Schmidt'))).toBeNull();
    expect(detect(1, person('Anna', 'Familie'))).toBeNull();
  });

  it('follows the manual override lists', () => {
    const custom = coupleDetector({ firstNameSeparator: '\\s+und\\s+', salutationPatterns: [], couples: [7], singles: [8] });
    expect(custom(7, person('Erika'))).toMatchObject({ firstNames: ['Erika'], confidence: 'confirmed', reason: 'configured' });
    expect(custom(8, person('Max und Erika'))).toBeNull();
  });
});

describe('validation', () => {
  it('rejects a malformed person with 400 and field errors, and writes nothing', async () => {
    const before = await total();
    const res = await t.call('/v1/persons', {
      method: 'POST',
      json: { lastName: '', birthday: '2026-13-01', categoryIds: ['x'], Hobby: 'Angeln' },
    });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; fields: { path: string; message: string }[] } }>(res);
    expect(body.error.code).toBe('validation');
    expect(body.error.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['lastName', 'birthday', 'categoryIds.0', 'Hobby']));
    expect(await total()).toBe(before);
    expect((await json<{ items: unknown[] }>(await t.call('/v1/audit'))).items).toEqual([]);
  });

  it('rejects unknown categories and invalid JSON', async () => {
    const unknown = await t.call('/v1/persons', { method: 'POST', json: { lastName: 'Kategorie', categoryIds: [4242] } });
    expect(unknown.status).toBe(400);
    expect((await json<{ error: { fields: { path: string }[] } }>(unknown)).error.fields[0]?.path).toBe('categoryIds.0');
    const broken = await t.call('/v1/persons', { method: 'POST', body: '{"lastName": ', headers: { 'Content-Type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect((await json<{ error: { code: string } }>(broken)).error.code).toBe('invalidJson');
  });

  it('stores SQL-injection strings literally', async () => {
    const nasty = {
      lastName: "Robert'); DROP TABLE \"Spender\";--",
      firstName: '" OR 1=1 --',
      city: "'; DELETE FROM \"Personen-Kategorie-Zuordnung\"; --",
    };
    const res = await t.call('/v1/persons', { method: 'POST', json: nasty });
    expect(res.status).toBe(201);
    const created = await json(res);
    const { body } = await readPerson(t, Number(created['nr']));
    expect(body).toMatchObject(nasty);
    expect(await total()).toBeGreaterThan(100);
    const assignments = t.rawDb().prepare('SELECT COUNT(*) AS n FROM "Personen-Kategorie-Zuordnung"').get() as { n: number };
    expect(assignments.n).toBeGreaterThan(100);
  });
});

describe('writes with If-Match', () => {
  it('refuses a write without If-Match (428) and with an outdated ETag (412)', async () => {
    const nr = nrOf(1);
    const { etag } = await readPerson(t, nr);
    const missing = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Ulm' } });
    expect(missing.status).toBe(428);
    const first = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Ulm' }, headers: { 'If-Match': etag } });
    expect(first.status).toBe(200);
    expect(first.headers.get('ETag')).not.toBe(etag);
    const stale = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Reutlingen' }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect((await readPerson(t, nr)).body['city']).toBe('Ulm');
  });

  it('answers 412 when Optigem changed the person since it was read', async () => {
    const nr = nrOf(2);
    const { etag } = await readPerson(t, nr);
    t.rawDb().prepare('UPDATE "Spender" SET "Ort" = ? WHERE "Nr" = ?').run('Geändert in Optigem', nr);
    const res = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { email: 'neu@example.org' }, headers: { 'If-Match': etag } });
    expect(res.status).toBe(412);
    expect((await readPerson(t, nr)).body['email']).not.toBe('neu@example.org');
  });
});

describe('lastModified without a modification column (shadow)', () => {
  it('changes only when the content changes', async () => {
    const nr = nrOf(3);
    const first = (await readPerson(t, nr)).body;
    const seeded = String(first['lastModified']);
    t.rawDb().prepare('UPDATE "Spender" SET "Ort" = "Ort" WHERE "Nr" = ?').run(nr);
    expect((await readPerson(t, nr)).body['lastModified']).toBe(seeded);
    const before = Date.now();
    t.rawDb().prepare('UPDATE "Spender" SET "Telefon mobil" = ? WHERE "Nr" = ?').run('0170 1234567', nr);
    const changed = (await readPerson(t, nr)).body;
    expect(changed['lastModifiedSource']).toBe('shadow');
    expect(Date.parse(String(changed['lastModified']))).toBeGreaterThanOrEqual(before - 5);
    expect((await readPerson(t, nr)).body['lastModified']).toBe(changed['lastModified']);
  });

  it('says "unknown" for a person first seen, until that person changes', async () => {
    t.rawDb().prepare('INSERT INTO "Spender" ("Nr", "Vorname", "Nachname") VALUES (?, ?, ?)').run(90_001, 'Neu', 'Hinterrücks');
    const fresh = (await readPerson(t, 90_001)).body;
    expect(fresh).toMatchObject({ lastModified: null, lastModifiedSource: 'unknown' });
    t.rawDb().prepare('UPDATE "Spender" SET "Ort" = ? WHERE "Nr" = ?').run('Esslingen', 90_001);
    expect((await readPerson(t, 90_001)).body['lastModifiedSource']).toBe('shadow');
  });

  it('lists with updatedSince only the persons changed since then', async () => {
    await t.call('/v1/persons?limit=1000');
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const a = nrOf(4);
    const b = nrOf(5);
    t.rawDb().prepare('UPDATE "Spender" SET "PLZ" = ? WHERE "Nr" = ?').run('70000', a);
    const { etag } = await readPerson(t, b);
    await t.call(`/v1/persons/${b}`, { method: 'PATCH', json: { zip: '70001' }, headers: { 'If-Match': etag } });
    const body = await json<Page>(await t.call(`/v1/persons?updatedSince=${encodeURIComponent(since)}&limit=1000`));
    expect(body.items.map((p) => p['nr'])).toEqual([a, b]);
  });
});

describe('creating, archiving, deleting', () => {
  it('returns the first person again for a repeated create with the same Idempotency-Key', async () => {
    const before = await total();
    const send = () =>
      t.call('/v1/persons', { method: 'POST', json: { firstName: 'Ida', lastName: 'Empotent' }, headers: { 'Idempotency-Key': 'ct:4711' } });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await json(second))['nr']).toBe((await json(first))['nr']);
    expect(await total()).toBe(before + 1);
  });

  it('keeps the ChurchTools id a person was created for in its own state, shows it, and forgets it on request', async () => {
    const created = await t.call('/v1/persons', { method: 'POST', json: { firstName: 'Paul', lastName: 'Partner', churchToolsId: '4711' } });
    expect(created.status).toBe(201);
    const person = await json(created);
    expect(person['churchToolsId']).toBe('4711');
    const nr = Number(person['nr']);
    const listed = (await json(await t.call(`/v1/persons?after=${nr - 1}&limit=1`)))['items'] as Record<string, unknown>[];
    expect(listed[0]).toMatchObject({ nr, churchToolsId: '4711' });
    // Not an Optigem column: the Optigem table is as it would be without it.
    const columns = (t.rawDb().prepare('SELECT * FROM Spender WHERE Nr = ?').get(nr) ?? {}) as Record<string, unknown>;
    expect(Object.values(columns)).not.toContain('4711');
    const { etag } = await readPerson(t, nr);
    const forgotten = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { churchToolsId: null }, headers: { 'If-Match': etag } });
    expect(forgotten.status).toBe(200);
    const after = await json(forgotten);
    expect(after['churchToolsId']).toBeNull();
    // The person's content did not change, so its ETag stays.
    expect(after['etag']).toBe(etag);
    const bad = await t.call('/v1/persons', { method: 'POST', json: { lastName: 'X', churchToolsId: 'OG-1' } });
    expect(bad.status).toBe(400);
  });

  it('archives with the archive category, keeps it when categories are replaced, and unarchives', async () => {
    const nr = nrOf(6);
    let { etag } = await readPerson(t, nr);
    const archived = await t.call(`/v1/persons/${nr}/archive`, { method: 'POST', headers: { 'If-Match': etag } });
    expect(await json(archived)).toMatchObject({ archived: true });
    etag = archived.headers.get('ETag') ?? '';
    const patched = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { categoryIds: [CATEGORY.mitglieder] }, headers: { 'If-Match': etag } });
    expect(await json(patched)).toMatchObject({ archived: true, categoryIds: [CATEGORY.mitglieder] });
    const rows = t.rawDb().prepare('SELECT "Kategorie-ID" AS id FROM "Personen-Kategorie-Zuordnung" WHERE "Personen-Nr" = ? ORDER BY 1').all(nr);
    expect(rows).toEqual([{ id: CATEGORY.mitglieder }, { id: CATEGORY.archiviert }]);
    const unarchived = await t.call(`/v1/persons/${nr}/unarchive`, { method: 'POST', headers: { 'If-Match': patched.headers.get('ETag') ?? '' } });
    expect(await json(unarchived)).toMatchObject({ archived: false });
  });

  it('refuses to delete a person that bookings point to, and deletes one without', async () => {
    const withBookings = await readPerson(t, donor);
    const refused = await t.call(`/v1/persons/${donor}`, { method: 'DELETE', headers: { 'If-Match': withBookings.etag } });
    expect(refused.status).toBe(409);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('hasBookings');

    const created = await json(await t.call('/v1/persons', { method: 'POST', json: { lastName: 'Wegwerf' } }));
    const deleted = await t.call(`/v1/persons/${String(created['nr'])}`, { method: 'DELETE', headers: { 'If-Match': String(created['etag']) } });
    expect(deleted.status).toBe(204);
    expect((await t.call(`/v1/persons/${String(created['nr'])}`)).status).toBe(404);
  });

  it('appends an audit entry per write with token, entity, id, old and new values', async () => {
    const nr = nrOf(7);
    const { body, etag } = await readPerson(t, nr);
    await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Tübingen' }, headers: { 'If-Match': etag } });
    const audit = await json<{ items: Json[] }>(await t.call(`/v1/audit?entity=person&recordId=${nr}`));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      action: 'update',
      entity: 'person',
      recordId: String(nr),
      tokenName: 'read-write',
      oldValues: { city: body['city'] },
      newValues: { city: 'Tübingen' },
    });
    const all = await json<{ items: Json[] }>(await t.call('/v1/audit?limit=1000'));
    expect(all.items.map((e) => e['action'])).toEqual(expect.arrayContaining(['create', 'update', 'archive', 'unarchive', 'delete']));
  });
});

describe('keyed pages and change tracking per page', () => {
  it('reads a page by key and checks only the records on it, so Optigem\'s own inserts are seen when their page is read', async () => {
    const added = Array.from({ length: 30 }, (_, i) => 95_000 + i);
    const insert = t.rawDb().prepare('INSERT INTO "Spender" ("Nr", "Vorname", "Nachname") VALUES (?, ?, ?)');
    for (const nr of added) insert.run(nr, 'Neu', `Optigem ${nr}`);
    const tracked = (): number =>
      (t.rawStateDb().prepare(`SELECT COUNT(*) AS n FROM bridge_shadow WHERE entity = 'person' AND key IN (${added.map(() => '?').join(', ')})`).get(...added.map(String)) as { n: number }).n;
    try {
      await t.call('/v1/persons?limit=20');
      expect(tracked()).toBe(0);
      const page = await json<Page>(await t.call('/v1/persons?after=95009&limit=10'));
      expect(page.items.map((p) => p['nr'])).toEqual(added.slice(10, 20));
      expect(page.items.every((p) => p['lastModifiedSource'] === 'unknown')).toBe(true);
      expect(page).toMatchObject({ page: 1, hasMore: true, nextAfter: '95019' });
      expect(tracked()).toBe(10);
      const last = await json<Page>(await t.call('/v1/persons?after=95019&limit=10'));
      expect(last).toMatchObject({ hasMore: false, nextAfter: null });
      expect(tracked()).toBe(20);
      // Offset paging still works and tracks its page the same way.
      const total = (await json<Page>(await t.call('/v1/persons?limit=1'))).total;
      const byOffset = await json<Page>(await t.call(`/v1/persons?limit=10&page=${Math.ceil(total / 10)}`));
      expect(byOffset.items.map((p) => p['nr'])).toEqual(added.slice(30 - (total % 10 || 10)));
    } finally {
      t.rawDb().prepare(`DELETE FROM "Spender" WHERE "Nr" >= 95000 AND "Nr" < 95030`).run();
    }
  });
});
