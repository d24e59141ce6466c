/**
 * A real bridge over HTTP on a free port, with a throwaway demo database. The whole bridge suite
 * runs twice: on the embedded SQLite driver, and (project "bridge-odbc", OPTIGEM_BRIDGE_TEST_STORE
 * =odbc) through the `odbc` package and Debian's SQLite ODBC driver against the same database.
 */
import { copyFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { createTempDemoDatabase, startBridge } from '../../src/bridge/index.ts';
import type { DemoDatabaseOptions, Logger, RunningBridge, StartOptions } from '../../src/bridge/index.ts';

export const CT_ORIGIN = 'https://gemeinde.church.tools';

export const TEST_STORE: 'sqlite' | 'odbc' = process.env['OPTIGEM_BRIDGE_TEST_STORE'] === 'odbc' ? 'odbc' : 'sqlite';

/**
 * How a test bridge opens the demo database at `path`. Through ODBC the bridge's own tables live
 * in a separate file (as with a real Optigem database): a copy of the demo file, so the change
 * times the demo seeded stay known.
 */
export function testStore(path: string): Pick<StartOptions, 'databasePath' | 'store' | 'stateDatabasePath'> {
  return TEST_STORE === 'sqlite' ? { databasePath: path } : testStoreOdbc(path, true);
}

/** `writes`: enable person and booking writes (the suite tests them on both drivers). */
function testStoreOdbc(path: string, writes: boolean): { databasePath: string; stateDatabasePath: string; store: Exclude<StartOptions['store'], string | undefined> } {
  const statePath = `${path}.state.sqlite`;
  // Once per database: a restart keeps the bridge's state, as on a real installation.
  if (!existsSync(statePath)) copyFileSync(path, statePath);
  return {
    databasePath: path,
    stateDatabasePath: statePath,
    store: { kind: 'odbc', connection: `Driver=SQLite3;Database=${path};Timeout=5000`, dialect: 'sqlite', ...(writes ? { writePersons: true, writeBookings: true } : {}) },
  };
}

/** The file holding the bridge's own tables (tokens, shadow, audit). */
export function statePathOf(path: string): string {
  return TEST_STORE === 'sqlite' ? path : `${path}.state.sqlite`;
}

export interface TestBridge {
  readonly bridge: RunningBridge;
  readonly url: string;
  readonly rw: string;
  readonly ro: string;
  readonly dbPath: string;
  /** Log lines the bridge wrote (JSON strings). */
  readonly logLines: string[];
  /** fetch against the bridge with the read-write token (unless `token` says otherwise). */
  call(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  /** The database opened directly, to change data "in Optigem", behind the bridge's back. */
  rawDb(): Db;
  /** The bridge's own tables opened directly. */
  rawStateDb(): Db;
  close(): Promise<void>;
}

export async function startTestBridge(
  options: Omit<StartOptions, 'databasePath' | 'logger'> & {
    demo?: DemoDatabaseOptions;
    /** Fill in the ODBC connection to the demo database (for a `store` the test gives itself). */
    odbcConnection?: boolean;
  } = {},
): Promise<TestBridge> {
  const { demo, odbcConnection, ...startOptions } = options;
  const db = await createTempDemoDatabase(demo);
  if (odbcConnection && typeof startOptions.store === 'object') {
    const odbc = testStoreOdbc(db.path, false);
    startOptions.store = { ...odbc.store, ...startOptions.store };
    startOptions.stateDatabasePath = odbc.stateDatabasePath;
  }
  const logLines: string[] = [];
  const logger: Logger = { log: (level, msg, fields) => logLines.push(JSON.stringify({ level, msg, ...fields })) };
  // Every record of every page is checked against its schema here (the running bridge samples).
  const bridge = await startBridge({ allowedOrigins: [CT_ORIGIN], responseCheck: 'every', ...testStore(db.path), ...startOptions, logger });
  const tokens = bridge.tokens;
  if (!tokens) throw new Error('expected fresh tokens');
  let raw: Db | undefined;
  let rawState: Db | undefined;
  return {
    bridge,
    url: bridge.url,
    rw: tokens.readWrite,
    ro: tokens.readOnly,
    dbPath: db.path,
    logLines,
    call(path, init = {}) {
      const { token = tokens.readWrite, json, headers, ...rest } = init;
      const h = new Headers(headers);
      if (token !== null) h.set('Authorization', `Bearer ${token}`);
      if (json !== undefined) h.set('Content-Type', 'application/json');
      return fetch(`${bridge.url}${path}`, { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    rawDb() {
      raw ??= new Database(db.path);
      return raw;
    },
    rawStateDb() {
      if (TEST_STORE === 'sqlite') {
        raw ??= new Database(db.path);
        return raw;
      }
      rawState ??= new Database(statePathOf(db.path));
      return rawState;
    },
    async close() {
      raw?.close();
      rawState?.close();
      await bridge.close();
      db.remove();
    },
  };
}

/** Reads a person and returns it with its ETag. */
export async function readPerson(t: TestBridge, nr: number): Promise<{ body: Record<string, unknown>; etag: string }> {
  const res = await t.call(`/v1/persons/${nr}`);
  if (res.status !== 200) throw new Error(`GET person ${nr}: ${res.status}`);
  return { body: (await res.json()) as Record<string, unknown>, etag: res.headers.get('ETag') ?? '' };
}
