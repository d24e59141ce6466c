/** Demo and test databases: Optigem-like tables with the demo data, plus the bridge's own tables. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { fillOptigemDemo } from './demo/optigem-demo.ts';
import { coupleDetector } from './service/couple.ts';
import { createServices } from './service/index.ts';
import { Serial } from './service/serial.ts';
import { openBridgeState } from './state/index.ts';
import { SqliteDriver } from './store/driver/sqlite.ts';
import { SQLITE_DIALECT } from './store/driver/dialect.ts';
import { SqlStore } from './store/sqlite/store.ts';

export interface DemoDatabaseOptions {
  /** Replace an existing file (otherwise an existing file is an error). */
  overwrite?: boolean;
  /**
   * Give every demo record a known change time (spread over 2025–2026), as if the bridge had been
   * watching for a while. Off: every record starts with `lastModifiedSource: "unknown"`.
   */
  knownChangeTimes?: boolean;
}

function demoHash(key: string): number {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** Deterministic instant between 2025-01-01 and 2026-10-31 for a record key. */
function demoInstant(key: string): string {
  const h = demoHash(key);
  const start = Date.UTC(2025, 0, 1, 8);
  const span = Date.UTC(2026, 9, 31, 18) - start;
  return new Date(start + (h % Math.floor(span / 60_000)) * 60_000).toISOString();
}

export async function createDemoDatabase(path: string, options: DemoDatabaseOptions = {}): Promise<void> {
  if (existsSync(path)) {
    if (!options.overwrite) throw new Error(`${path} exists already; replace it with "demo --force" (option overwrite).`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    fillOptigemDemo(db);
    openBridgeState(db);
  } finally {
    db.close();
  }
  if (options.knownChangeTimes ?? true) await seedChangeTimes(path);
}

/** Lets the bridge observe every record once, then dates each observation deterministically. */
async function seedChangeTimes(path: string): Promise<void> {
  const driver = new SqliteDriver(path);
  const store = await SqlStore.open({ driver, dialect: SQLITE_DIALECT });
  const db = driver.db;
  try {
    const state = openBridgeState(db);
    const services = createServices({
      store,
      state,
      serial: new Serial(),
      now: () => new Date(),
      detectCouple: coupleDetector(),
      writePersons: false,
      writeBookings: false,
    });
    // A changed-since query looks at every record (a plain page only at its own).
    const everything = { page: 1, limit: 1, updatedSince: '1970-01-01T00:00:00Z' };
    await services.persons.list(everything);
    for (const year of await store.fiscalYears()) await services.bookings.list(year.year, everything);
    const rows = db.prepare('SELECT entity, key FROM bridge_shadow').all() as { entity: string; key: string }[];
    const bookingDates = new Map<string, string>();
    for (const year of await store.fiscalYears()) {
      for (const booking of await store.listBookings(year.year)) bookingDates.set(`booking:${year.year}/${booking.id}`, booking.date);
    }
    const update = db.prepare('UPDATE bridge_shadow SET changed_at = ?, first_seen = ? WHERE entity = ? AND key = ?');
    db.transaction(() => {
      for (const row of rows) {
        const id = `${row.entity}/${row.key}`;
        const bookedOn = bookingDates.get(id);
        // A booking is entered a few days after its date at the earliest.
        const at = bookedOn === undefined ? demoInstant(id) : new Date(Date.parse(bookedOn) + (3 + (demoHash(id) % 72)) * 3_600_000).toISOString();
        update.run(at, at, row.entity, row.key);
      }
    })();
  } finally {
    await store.close();
  }
}

export interface TempDatabase {
  readonly path: string;
  /** Deletes the database and its directory. */
  remove(): void;
}

/** A demo database in a fresh directory under the OS temp dir (tests). */
export async function createTempDemoDatabase(options: Omit<DemoDatabaseOptions, 'overwrite'> = {}): Promise<TempDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'optigem-bridge-'));
  const path = join(dir, 'optigem.sqlite');
  await createDemoDatabase(path, options);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
