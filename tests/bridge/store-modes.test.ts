/** Read-only mode, the write switches of a real (ODBC) database, and the store settings. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BridgeConfigSchema } from '../../src/bridge/config.ts';
import { connectionStringOf, readPassword, redact } from '../../src/bridge/store/secrets.ts';
import { readPerson, startTestBridge } from './helpers.ts';
import type { TestBridge } from './helpers.ts';

const booking = {
  date: '2026-05-04',
  debit: { account: 1200, subAccount: 0, project: 0 },
  credit: { account: 8000, subAccount: 0, project: 100 },
  amountCents: 4200,
  text: 'Spende',
};

async function firstNr(t: TestBridge): Promise<number> {
  const page = (await (await t.call('/v1/persons?limit=1')).json()) as { items: { nr: number }[] };
  const nr = page.items[0]?.nr;
  if (nr === undefined) throw new Error('no person');
  return nr;
}

async function refusal(res: Response): Promise<{ status: number; message: string }> {
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? '' };
}

describe('store.readOnly', () => {
  let t: TestBridge;
  beforeAll(async () => {
    t = await startTestBridge({ store: { kind: 'sqlite', readOnly: true } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves reads and answers every write route with 403 and the reason, changing nothing', async () => {
    const nr = await firstNr(t);
    const { body, etag } = await readPerson(t, nr);
    const writes = [
      t.call('/v1/persons', { method: 'POST', json: { lastName: 'Neu' } }),
      t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Ulm' }, headers: { 'If-Match': etag } }),
      t.call(`/v1/persons/${nr}/archive`, { method: 'POST', headers: { 'If-Match': etag } }),
      t.call(`/v1/persons/${nr}`, { method: 'DELETE', headers: { 'If-Match': etag } }),
      t.call('/v1/fiscal-years/2026/bookings', { method: 'POST', json: booking }),
    ];
    for (const answer of await Promise.all(writes)) {
      const { status, message } = await refusal(answer);
      expect(status).toBe(403);
      expect(message).toMatch(/read-only mode \(store\.readOnly\)/);
    }
    expect((await readPerson(t, nr)).body).toEqual(body);
    const meta = (await (await t.call('/v1/meta')).json()) as { capabilities: { writePersons: boolean; writeBookings: boolean } };
    expect(meta.capabilities).toMatchObject({ writePersons: false, writeBookings: false });
  });
});

describe('writes to a real (ODBC) database', () => {
  let t: TestBridge | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // The demo database through the SQLite ODBC driver stands in for a real Optigem database.
  const odbcStore = (extra: Record<string, boolean>) => ({ store: { kind: 'odbc' as const, dialect: 'sqlite' as const, ...extra } });

  it('are off by default: bookings and persons answer 403 naming the setting', async () => {
    t = await startTestBridge({ ...odbcStore({}), odbcConnection: true });
    const nr = await firstNr(t);
    const { etag } = await readPerson(t, nr);
    const person = await refusal(await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Ulm' }, headers: { 'If-Match': etag } }));
    expect(person).toMatchObject({ status: 403, message: expect.stringContaining('store.writePersons') });
    const bookingAnswer = await refusal(await t.call('/v1/fiscal-years/2026/bookings', { method: 'POST', json: booking }));
    expect(bookingAnswer).toMatchObject({ status: 403, message: expect.stringContaining('store.writeBookings') });
    expect(bookingAnswer.message).toMatch(/bypasses Optigem's own checks/);
  });

  it('write persons once enabled, while bookings stay off', async () => {
    t = await startTestBridge({ ...odbcStore({ writePersons: true }), odbcConnection: true });
    const nr = await firstNr(t);
    const { etag } = await readPerson(t, nr);
    const patched = await t.call(`/v1/persons/${nr}`, { method: 'PATCH', json: { city: 'Ulm' }, headers: { 'If-Match': etag } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { city: string }).city).toBe('Ulm');
    expect((await t.call('/v1/fiscal-years/2026/bookings', { method: 'POST', json: booking })).status).toBe(403);
  });
});

describe('store settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-settings-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the older plain "sqlite" as the embedded store', () => {
    expect(BridgeConfigSchema.parse({ store: 'sqlite' }).store).toMatchObject({ kind: 'sqlite', readOnly: false });
    expect(BridgeConfigSchema.parse({}).store.kind).toBe('sqlite');
  });

  it('builds the Access connection from DSN, workgroup file, user and a password from a file, and never shows the password', () => {
    const passwordFile = join(dir, 'pw.txt');
    writeFileSync(passwordFile, 'ge;heim\n');
    const store = BridgeConfigSchema.parse({
      store: { kind: 'odbc', connection: 'Optigem', workgroupFile: 'C:\\Optigem\\optigemxp.mdw', user: 'optigem', passwordFile },
    }).store;
    const secret = readPassword(store, {});
    expect(secret).toEqual({ password: 'ge;heim', source: `file ${passwordFile}` });
    const connection = connectionStringOf(store, secret.password);
    expect(connection).toBe('DSN=Optigem;SystemDB=C:\\Optigem\\optigemxp.mdw;Uid=optigem;Pwd={ge;heim}');
    expect(redact(`failed: ${connection}`, ['ge;heim'])).toBe('failed: DSN=Optigem;SystemDB=C:\\Optigem\\optigemxp.mdw;Uid=optigem;Pwd=***');
  });

  it('takes the password from the environment variable the config names', () => {
    const store = BridgeConfigSchema.parse({ store: { kind: 'odbc', connection: 'Driver={SQL Server};Server=x', passwordEnv: 'MY_PW' } }).store;
    expect(readPassword(store, { MY_PW: 'pw1' }).password).toBe('pw1');
    expect(connectionStringOf(store, 'pw1')).toBe('Driver={SQL Server};Server=x;Pwd=pw1');
    expect(redact('Server=x;PWD=pw1;Uid=sa')).toBe('Server=x;PWD=***;Uid=sa');
  });
});
