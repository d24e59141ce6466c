/**
 * The same Optigem data served through the embedded SQLite driver and through ODBC (the `odbc`
 * package, unixODBC and Debian's SQLite ODBC driver) gives the same first-sync plan: the driver
 * seam changes how the bridge reaches the database, never what a sync decides.
 */
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { STATUS_MITGLIED } from '../../src/bridge/demo/parish.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type TempDatabase } from '../../src/bridge/index.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { BridgeClient, OptigemSystemPort } from '../../src/optigem/index.ts';
import { simulate, type EngineContext } from '../../src/sync/engine.ts';
import type { Job, PropertyPair } from '../../src/sync/model.ts';

const PROPERTY_PAIRS: PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
  { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
  { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
  { key: 'ci', domain: 'person', churchtools: 'city', optigem: 'Ort' },
  {
    key: 'st',
    domain: 'person',
    churchtools: 'statusId',
    optigem: 'Kategorien',
    mapping: { entries: [{ churchtools: String(STATUS_MITGLIED), optigem: '150' }], fallback: { kind: 'skip' } },
  },
];

const everyoneJob: Job = {
  id: 'everyone',
  name: 'Alle',
  connectionId: 'demo',
  domain: 'person',
  actions: { link: { mode: 'newerWins' }, import: { defaults: {} }, export: { defaults: {} }, updateProperties: { conflictProtection: true } },
  conditions: { churchtools: [], optigem: [] },
  propertyPairKeys: PROPERTY_PAIRS.map((pair) => pair.key),
  autoRun: false,
};

let standIn: StandIn;
let database: TempDatabase;
let viaSqlite: RunningBridge;
let viaOdbc: RunningBridge;
let ct: ChurchTools;

const contextOf = (bridge: RunningBridge): EngineContext => ({
  ports: { churchtools: ct.persons, optigem: new OptigemSystemPort(new BridgeClient({ baseUrl: bridge.url, token: bridge.tokens?.readWrite ?? '' }), { pageSize: 50 }) },
  pairStore: ct.storage.pairs,
  propertyPairs: PROPERTY_PAIRS,
});

beforeAll(async () => {
  standIn = await startStandIn();
  database = await createTempDemoDatabase();
  // Two identical copies: each bridge keeps its own change tracking.
  const odbcPath = `${database.path}.odbc.sqlite`;
  copyFileSync(database.path, odbcPath);
  copyFileSync(database.path, `${odbcPath}.state`);
  viaSqlite = await startBridge({ databasePath: database.path });
  viaOdbc = await startBridge({
    databasePath: odbcPath,
    stateDatabasePath: `${odbcPath}.state`,
    store: { kind: 'odbc', connection: `Driver=SQLite3;Database=${odbcPath};Timeout=5000`, dialect: 'sqlite', writePersons: true },
  });
  ct = createChurchTools(createNodeClient(standIn.url, standIn.admin.loginToken), { http: { requestsPerMinute: 100_000 } });
});

afterAll(async () => {
  await viaSqlite?.close();
  await viaOdbc?.close();
  await standIn?.close();
  database?.remove();
});

describe('first sync of the demo parish through both drivers', () => {
  it('plans the same actions, records and digest through ODBC as through SQLite', async () => {
    const sqlite = await simulate(everyoneJob, contextOf(viaSqlite));
    const odbc = await simulate(everyoneJob, contextOf(viaOdbc));
    expect(sqlite.execution.status).toBe('succeeded');
    expect(sqlite.plan?.readComplete).toEqual({ churchtools: true, optigem: true });
    expect(sqlite.execution.counters.both.link).toBeGreaterThan(10);
    expect(odbc.execution.counters).toEqual(sqlite.execution.counters);
    expect(odbc.entries).toEqual(sqlite.entries);
    expect(odbc.plan?.digest).toBe(sqlite.plan?.digest);
  });

  it('lists every booking of 2026 alike, page by page', async () => {
    const read = async (bridge: RunningBridge) => {
      const client = new BridgeClient({ baseUrl: bridge.url, token: bridge.tokens?.readWrite ?? '' });
      const items = [];
      let after: string | undefined;
      for (;;) {
        const page = await client.listBookings(2026, { limit: 40, ...(after ? { after } : {}) });
        items.push(...page.items);
        if (page.nextAfter === null) return items;
        after = page.nextAfter;
      }
    };
    const [sqlite, odbc] = [await read(viaSqlite), await read(viaOdbc)];
    expect(sqlite.length).toBeGreaterThan(100);
    expect(odbc).toEqual(sqlite);
  });
});
