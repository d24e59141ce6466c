/** `bridge doctor` on the demo database (through the suite's driver) and on broken set-ups. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeConfigSchema } from '../../src/bridge/config.ts';
import type { BridgeConfigInput } from '../../src/bridge/config.ts';
import { runDoctor } from '../../src/bridge/doctor.ts';
import type { DoctorReport } from '../../src/bridge/doctor.ts';
import { createTempDemoDatabase } from '../../src/bridge/index.ts';
import type { TempDatabase } from '../../src/bridge/index.ts';
import { CT_ORIGIN, TEST_STORE, testStore } from './helpers.ts';

let db: TempDatabase | undefined;
afterEach(() => {
  db?.remove();
  db = undefined;
});

async function demo(): Promise<TempDatabase> {
  db = await createTempDemoDatabase({ knownChangeTimes: false });
  return db;
}

const config = (input: BridgeConfigInput) => BridgeConfigSchema.parse({ allowedOrigins: [CT_ORIGIN], ...input });
const line = (report: DoctorReport, check: string) => report.lines.find((l) => l.check === check);

describe(`bridge doctor (${TEST_STORE})`, () => {
  it('passes on the demo database and counts what it finds', async () => {
    const { path } = await demo();
    const report = await runDoctor(config(testStore(path)));
    expect(report.lines.filter((l) => l.blocking && l.verdict !== 'ok')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(line(report, 'table Spender')?.verdict).toBe('ok');
    expect(line(report, 'persons')?.detail).toMatch(/^\d+ persons/);
    expect(Number(/^(\d+)/.exec(line(report, 'persons')?.detail ?? '')?.[1])).toBeGreaterThan(100);
    expect(line(report, 'fiscal years')?.detail).toContain('2026');
    expect(line(report, 'Donor 0')?.verdict).toBe('ok');
    expect(line(report, 'bridge state database')?.verdict).toBe('ok');
    expect(line(report, 'allowed origins')?.detail).toBe(CT_ORIGIN);
  });

  it('names a renamed column as missing with the config key to change, and passes once the key says so', async () => {
    const { path } = await demo();
    const raw = new Database(path);
    raw.exec('ALTER TABLE "Spender" RENAME COLUMN "Ort" TO "Wohnort"');
    raw.close();
    const broken = await runDoctor(config(testStore(path)));
    expect(broken.ok).toBe(false);
    expect(line(broken, 'column Spender.Ort')).toMatchObject({ verdict: 'missing', configKey: 'store.names.persons.columns.city', blocking: true });
    expect(line(broken, 'table Spender')?.verdict).toBe('differs');
    // Counting needs the schema: none is attempted on a broken one.
    expect(line(broken, 'persons')).toBeUndefined();

    const fixed = await runDoctor(config({ ...testStore(path), names: { persons: { columns: { city: 'Wohnort' } } } }));
    expect(fixed.ok).toBe(true);
  });

  it('fails on a missing table and a missing database, naming the key', async () => {
    const { path } = await demo();
    const raw = new Database(path);
    raw.exec('DROP TABLE "Wirtschaftsjahre"');
    raw.close();
    const report = await runDoctor(config(testStore(path)));
    expect(report.ok).toBe(false);
    expect(line(report, 'table Wirtschaftsjahre')).toMatchObject({ verdict: 'missing', configKey: 'store.names.fiscalYears.table' });

    const nowhere = await runDoctor(config({ databasePath: join(path, '..', 'nothing.sqlite') }));
    expect(nowhere.ok).toBe(false);
    expect(line(nowhere, 'connect')).toMatchObject({ verdict: 'missing', configKey: 'databasePath' });
  });

  it('reports a failed ODBC connection without printing the password', async () => {
    const { path } = await demo();
    const report = await runDoctor(
      config({
        stateDatabasePath: `${path}.state`,
        store: { kind: 'odbc', connection: 'Driver=NoSuchDriver;Database=x', user: 'optigem', passwordEnv: 'DOCTOR_TEST_PW' },
      }),
      { env: { DOCTOR_TEST_PW: 'geheim-12345' } },
    );
    expect(report.ok).toBe(false);
    expect(line(report, 'connect')).toMatchObject({ verdict: 'failed', configKey: 'store.connection' });
    expect(JSON.stringify(report)).not.toContain('geheim-12345');
  });

  // The command itself is the same for both drivers: run it once.
  it.skipIf(TEST_STORE === 'odbc')('runs as a command: exit 0 and JSON on the demo database, exit 1 on a broken one', { timeout: 90_000 }, async () => {
    const { path } = await demo();
    const cwd = join(import.meta.dirname, '../..');
    const run = (database: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/bridge/main.ts', 'doctor', '--json', '--database', database, '--origin', CT_ORIGIN], { cwd, encoding: 'utf8' });
    const good = run(path);
    expect(good.status, good.stderr).toBe(0);
    expect((JSON.parse(good.stdout) as DoctorReport).ok).toBe(true);
    const bad = run(join(path, '..', 'nothing.sqlite'));
    expect(bad.status).toBe(1);
    expect((JSON.parse(bad.stdout) as DoctorReport).lines[0]).toMatchObject({ check: 'connect', verdict: 'missing' });
  });
});
