/**
 * The whole person sync over real HTTP: the engine with the ChurchTools adapter (through the
 * official client) against the ChurchTools stand-in, and the Optigem port against the bridge on
 * its demo database, with the spec's example job "members only".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optigemDemoData } from '../../src/bridge/demo/optigem-demo.ts';
import { STATUS_MITGLIED, demoPersons } from '../../src/bridge/demo/parish.ts';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type TempDatabase } from '../../src/bridge/index.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { BridgeClient, OptigemSystemPort } from '../../src/optigem/index.ts';
import { run, simulate, type EngineContext } from '../../src/sync/engine.ts';
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

const membersJob: Job = {
  id: 'members',
  name: 'Mitglieder',
  connectionId: 'demo',
  domain: 'person',
  actions: { link: { mode: 'newerWins' }, import: { defaults: {} }, export: { defaults: {} }, updateProperties: { conflictProtection: true } },
  conditions: {
    churchtools: [{ field: 'statusId', values: [String(STATUS_MITGLIED)] }],
    optigem: [{ field: 'Kategorien', values: ['150'] }],
  },
  propertyPairKeys: PROPERTY_PAIRS.map((pair) => pair.key),
  autoRun: false,
};

let standIn: StandIn;
let database: TempDatabase;
let bridge: RunningBridge;
let ct: ChurchTools;
let context: EngineContext;

beforeAll(async () => {
  standIn = await startStandIn();
  database = await createTempDemoDatabase();
  bridge = await startBridge({ databasePath: database.path });
  ct = createChurchTools(createNodeClient(standIn.url, standIn.admin.loginToken), { http: { requestsPerMinute: 100_000 } });
  const optigem = new OptigemSystemPort(new BridgeClient({ baseUrl: bridge.url, token: bridge.tokens?.readWrite ?? '' }));
  context = { ports: { churchtools: ct.persons, optigem }, pairStore: ct.storage.pairs, propertyPairs: PROPERTY_PAIRS };
});

afterAll(async () => {
  await bridge?.close();
  await standIn?.close();
  database?.remove();
});

describe('person sync over real HTTP with the demo data', () => {
  it('simulates the members job without writing anything', async () => {
    const before = standIn.requests.length;
    const outcome = await simulate(membersJob, context);
    expect(outcome.execution.status).toBe('succeeded');
    expect(outcome.plan?.readComplete).toEqual({ churchtools: true, optigem: true });
    expect(outcome.execution.counters.both.link).toBeGreaterThan(10);
    const writes = standIn.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it('links Müller with Mueller across the systems', async () => {
    // The demo's Optigem records spelt with folded umlauts, each with the ChurchTools person it
    // stands for; the members job links those whose person is a member on either side.
    const ctById = new Map(demoPersons().map((p) => [p.id, p]));
    const folded = optigemDemoData().persons.filter((p) => p.variant === 'umlautFolded');
    const expected = folded
      .filter((p) => {
        const person = ctById.get(p.ctIds[0] ?? -1);
        return person !== undefined && !person.isArchived && (person.statusId === STATUS_MITGLIED || p.categoryIds.includes(150));
      })
      .map((p) => {
        const person = ctById.get(p.ctIds[0] ?? -1);
        return { ctId: String(p.ctIds[0]), ogId: String(p.nr), ct: `${person?.firstName} ${person?.lastName}`, og: `${p.firstName} ${p.lastName}` };
      });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((pair) => /[äöüß]/i.test(pair.ct) && !/[äöüß]/i.test(pair.og))).toBe(true);

    const outcome = await simulate(membersJob, context);
    const links = outcome.entries.filter((e) => e.type === 'link').map((e) => ({ ctId: e.ctId, ogId: e.ogId }));
    expect(links).toEqual(expect.arrayContaining(expected.map(({ ctId, ogId }) => ({ ctId, ogId }))));
  });

  it('runs what it simulated, then a second run finds nothing to do', async () => {
    const simulated = await simulate(membersJob, context);
    const ran = await run(membersJob, context, { expectedDigest: simulated.plan?.digest ?? '' });
    expect(ran.execution.status).toBe('succeeded');
    expect(ran.execution.counters).toEqual(simulated.execution.counters);

    const pairs = await ct.storage.pairs.load('demo', 'person');
    expect(pairs.length).toBe(simulated.execution.counters.both.link + simulated.execution.counters.churchtools.create + simulated.execution.counters.optigem.create);
    const imported = simulated.entries.find((e) => e.type === 'create' && e.system === 'churchtools');
    if (imported) {
      const pair = pairs.find((p) => p.og === imported.ogId);
      expect(standIn.state.persons.get(Number(pair?.ct))?.optigemId).toBe(imported.ogId);
    }

    const again = await simulate(membersJob, context);
    expect(again.plan?.operations.filter((op) => op.op !== 'pair')).toEqual([]);
  });
});
