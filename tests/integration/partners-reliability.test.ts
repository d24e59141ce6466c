/**
 * Issue 14 §3, §5 and issue 12 §2 over real HTTP: the engine with the ChurchTools adapter
 * against the stand-in and the Optigem port against a real bridge on its demo database (behind
 * a fault proxy). Lists that change between pages or come back short never archive or delete
 * the wrong person; an edit made in ChurchTools during a run is not overwritten; linking writes
 * nothing to ChurchTools unless the connection asks, and then a bounded number per run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blankPerson, newMeta } from '../../dev/standin/state.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { BridgeClient, OptigemSystemPort } from '../../src/optigem/index.ts';
import { run, type EngineContext } from '../../src/sync/engine.ts';
import type { Job, JobActions, PropertyPair } from '../../src/sync/model.ts';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { startTestBridge, type TestBridge } from '../bridge/helpers.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { call } from '../standin/helpers.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';

const PROPERTY_PAIRS: PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
  { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
  { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
  { key: 'ci', domain: 'person', churchtools: 'city', optigem: 'Ort' },
];

function job(actions: JobActions): Job {
  return {
    id: 'job',
    name: 'Job',
    connectionId: 'demo',
    domain: 'person',
    actions,
    conditions: { churchtools: [], optigem: [] },
    propertyPairKeys: PROPERTY_PAIRS.map((p) => p.key),
    autoRun: false,
  };
}

interface World {
  standIn: StandIn;
  bridge: TestBridge;
  proxy: FaultProxy;
  ct: ChurchTools;
  context: EngineContext;
  close(): Promise<void>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(options: { ctPageSize?: number; ogPageSize?: number; partnerNotes?: { perRun: number } } = {}): Promise<World> {
  const [standIn, bridge] = await Promise.all([startStandIn(), startTestBridge()]);
  const proxy = await startFaultProxy(bridge.url);
  const client = createNodeClient(standIn.url, standIn.admin.loginToken);
  await client.loginWithToken(standIn.admin.loginToken);
  const ct = createChurchTools(client, {
    http: FAST_HTTP,
    persons: { ...(options.ctPageSize ? { pageSize: options.ctPageSize } : {}), pageConcurrency: 1 },
  });
  const optigem = new OptigemSystemPort(new BridgeClient({ baseUrl: proxy.url, token: bridge.rw }), { pageSize: options.ogPageSize ?? 500 });
  const context: EngineContext = {
    ports: { churchtools: ct.persons, optigem },
    pairStore: ct.storage.pairs,
    propertyPairs: PROPERTY_PAIRS,
    ...(options.partnerNotes ? { partnerNotes: options.partnerNotes } : {}),
  };
  world = {
    standIn,
    bridge,
    proxy,
    ct,
    context,
    close: async () => {
      await proxy.close();
      await Promise.all([standIn.close(), bridge.close()]);
    },
  };
  return world;
}

async function linkAll(w: World): Promise<number> {
  const linked = await run(job({ link: { mode: 'newerWins' } }), w.context);
  expect(linked.execution.status).toBe('succeeded');
  return linked.execution.counters.both.link;
}

/**
 * Pairs with one record archived or gone while its partner exists and is not archived. The demo
 * data has some already; a run that removes nobody wrongly leaves these counts as they were.
 */
async function removalState(w: World): Promise<{ archived: number; deleted: number }> {
  const pairs = await w.ct.storage.pairs.load('demo', 'person');
  let archived = 0;
  let deleted = 0;
  for (const pair of pairs) {
    const ctPerson = w.standIn.state.persons.get(Number(pair.ct));
    const og = await w.bridge.call(`/v1/persons/${pair.og}`);
    const ogPerson = og.status === 200 ? ((await og.json()) as { archived: boolean }) : null;
    if (ctPerson && ogPerson && ctPerson.isArchived !== ogPerson.archived) archived++;
  }
  // A deleted record whose partner exists has lost its pair's other half: count those too.
  for (const pair of pairs) {
    const ctPerson = w.standIn.state.persons.get(Number(pair.ct));
    const ogStatus = (await w.bridge.call(`/v1/persons/${pair.og}`)).status;
    if ((ctPerson === undefined) !== (ogStatus === 404)) deleted++;
  }
  return { archived, deleted };
}

/** An unpaired Optigem person without bookings, deleted through the bridge as another user would. */
async function deleteUnpairedOptigemPerson(w: World, among: readonly number[], paired: ReadonlySet<string>): Promise<number> {
  for (const nr of among) {
    if (paired.has(String(nr))) continue;
    const read = await w.bridge.call(`/v1/persons/${nr}`);
    if (read.status !== 200) continue;
    const res = await w.bridge.call(`/v1/persons/${nr}`, { method: 'DELETE', headers: { 'If-Match': read.headers.get('ETag') ?? '' } });
    if (res.status === 204) return nr;
  }
  throw new Error('no deletable Optigem person on the first page');
}

describe('a list that changes between pages archives and deletes nobody wrongly (§3)', { timeout: 60_000 }, () => {
  for (const kind of ['archive', 'delete'] as const) {
    it(`Optigem: a delete and an insert between two pages (total unchanged) → 0 wrong ${kind}s in ChurchTools`, async () => {
      const w = await start({ ogPageSize: 20 });
      expect(await linkAll(w)).toBeGreaterThan(20);
      const paired = new Set((await w.ct.storage.pairs.load('demo', 'person')).map((p) => p.og));
      let pagesRead = 0;
      let firstPage: number[] = [];
      w.proxy.rule = async (request) => {
        if (request.method !== 'GET' || !request.url.startsWith('/v1/persons?')) return { kind: 'forward' };
        pagesRead++;
        if (pagesRead === 1) {
          return { kind: 'rewrite', change: (body) => ((firstPage = (body as { items: { nr: number }[] }).items.map((p) => p.nr)), body) };
        }
        if (pagesRead === 2) {
          await deleteUnpairedOptigemPerson(w, firstPage, paired);
          const created = await w.bridge.call('/v1/persons', { method: 'POST', json: { lastName: 'Zuletzt', firstName: 'Neu' } });
          expect(created.status).toBe(201);
        }
        return { kind: 'forward' };
      };
      const before = await removalState(w);
      const outcome = await run(job(kind === 'archive' ? { archiveInChurchTools: {} } : { deleteInChurchTools: {} }), w.context, { confirmMassChange: true });
      w.proxy.rule = () => ({ kind: 'forward' });
      expect(pagesRead).toBeGreaterThan(2);
      expect(outcome.execution.counters.churchtools[kind]).toBe(0);
      expect(await removalState(w)).toEqual(before);
    });

    it(`ChurchTools: a delete and an insert between two pages (total unchanged) → 0 wrong ${kind}s in Optigem`, async () => {
      const probe = await start();
      expect(await linkAll(probe)).toBeGreaterThan(20);
      const pairs = await probe.ct.storage.pairs.load('demo', 'person');
      const pairedCt = new Set(pairs.map((p) => p.ct));
      // The list order ChurchTools pages by: pick a page size that makes a paired person the
      // first of page 2, the one an offset read skips when a person on page 1 goes away.
      const listed = ((await call(probe.standIn, 'GET', '/persons?limit=500')).body as { data: { id: number }[] }).data.map((p) => String(p.id));
      const boundary = listed.findIndex((id, index) => index >= 10 && pairedCt.has(id));
      const victim = listed.slice(0, boundary).find((id) => !pairedCt.has(id));
      expect(boundary).toBeGreaterThan(0);
      expect(victim).toBeDefined();
      const w = probe;
      (w.ct.persons as unknown as { pageSize: number }).pageSize = boundary;
      w.standIn.faults.beforeRequest({ method: 'GET', pathPrefix: '/persons', nth: 2 }, (state) => {
        state.persons.delete(Number(victim));
        const id = state.nextId.person++;
        const p = blankPerson(id, newMeta(state, w.standIn.admin.personId));
        p.firstName = 'Neu';
        p.lastName = 'Zzzz';
        p.statusId = state.personDefaults.statusId;
        p.campusId = state.personDefaults.campusId;
        state.persons.set(id, p);
      });
      const before = await removalState(w);
      w.standIn.resetRequests();
      const outcome = await run(job(kind === 'archive' ? { archiveInOptigem: {} } : { deleteInOptigem: {} }), w.context, { confirmMassChange: true });
      const skipped = outcome.entries.filter((e) => e.message.key === 'log.remove.partnerExists');
      // The offset read missed the first person of page 2; asking by id found it.
      expect(skipped.map((e) => e.ctId)).toEqual([listed[boundary]]);
      expect(w.standIn.requests.filter((r) => r.path === '/persons' && r.query.includes('ids[]')).length).toBeGreaterThan(0);
      expect(outcome.execution.counters.optigem[kind]).toBe(0);
      expect(await removalState(w)).toEqual(before);
    });
  }

  it('a ChurchTools page that answers 200 with 20 persons missing is an incomplete read: 0 archives', async () => {
    const w = await start();
    await linkAll(w);
    (w.ct.persons as unknown as { pageSize: number }).pageSize = 100;
    w.standIn.faults.dropItems({ method: 'GET', pathPrefix: '/persons', nth: 2 }, 20);
    const before = await removalState(w);
    const outcome = await run(job({ archiveInOptigem: {} }), w.context, { confirmMassChange: true });
    expect(outcome.plan?.readComplete.churchtools).toBe(false);
    expect(outcome.entries.some((e) => e.message.key === 'log.skip.incompleteRead')).toBe(true);
    expect(outcome.execution.counters.optigem.archive).toBe(0);
    expect(await removalState(w)).toEqual(before);
  });

  it('an Optigem page that answers 200 with 20 persons missing is an incomplete read: 0 archives', async () => {
    const w = await start({ ogPageSize: 100 });
    await linkAll(w);
    let pages = 0;
    w.proxy.rule = (request) => {
      if (request.method !== 'GET' || !request.url.startsWith('/v1/persons?') || ++pages !== 2) return { kind: 'forward' };
      return { kind: 'rewrite', change: (body) => ({ ...(body as object), items: (body as { items: unknown[] }).items.slice(20) }) };
    };
    const before = await removalState(w);
    const outcome = await run(job({ archiveInChurchTools: {} }), w.context, { confirmMassChange: true });
    expect(outcome.plan?.readComplete.optigem).toBe(false);
    expect(outcome.execution.counters.churchtools.archive).toBe(0);
    expect(await removalState(w)).toEqual(before);
  });
});

describe('an edit in ChurchTools during a run is not overwritten (§5)', { timeout: 60_000 }, () => {
  it('re-reads the persons right before writing and skips the one that changed, saying so', async () => {
    const w = await start();
    await linkAll(w);
    const pairs = await w.ct.storage.pairs.load('demo', 'person');
    const [first, second] = pairs;
    // Optigem changes the city of two linked people; ChurchTools is to take it over.
    for (const pair of [first!, second!]) {
      const read = await w.bridge.call(`/v1/persons/${pair.og}`);
      const res = await w.bridge.call(`/v1/persons/${pair.og}`, { method: 'PATCH', json: { city: 'Neustadt' }, headers: { 'If-Match': read.headers.get('ETag') ?? '' } });
      expect(res.status).toBe(200);
    }
    // Someone edits the first person in ChurchTools after the run read it, before it writes.
    w.standIn.faults.beforeRequest({ method: 'GET', pathPrefix: '/persons', nth: 3 }, (state) => {
      const person = state.persons.get(Number(first!.ct))!;
      person.city = 'Von Hand';
      person.meta.modifiedDate = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    });
    w.standIn.resetRequests();
    const outcome = await run(job({ importProperties: { conflictProtection: false } }), w.context);
    const rereads = w.standIn.requests.filter((r) => r.method === 'GET' && r.path === '/persons' && r.query.includes('ids[]'));
    expect(rereads).toHaveLength(1);
    expect(w.standIn.state.persons.get(Number(first!.ct))!.city).toBe('Von Hand');
    expect(w.standIn.state.persons.get(Number(second!.ct))!.city).toBe('Neustadt');
    const skipped = outcome.entries.filter((e) => e.message.key === 'log.update.changedDuringRun');
    expect(skipped.map((e) => [e.ctId, e.state])).toEqual([[first!.ct, 'skipped']]);
    expect(outcome.execution.counters.churchtools.update).toBe(1);
  });
});

describe('linking writes nothing per link unless the connection asks (issue 12 §2)', { timeout: 120_000 }, () => {
  it('a first sync links without one PATCH; with the setting on, at most perRun PATCHes per run, never twice', async () => {
    const off = await start();
    off.standIn.resetRequests();
    const links = await linkAll(off);
    expect(links).toBeGreaterThan(12);
    // Only the unifying writes (changed fields) of the first sync: none for remembering a partner.
    const unifying = off.standIn.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/persons/')).length;
    const pairs = await off.ct.storage.pairs.load('demo', 'person');
    expect(pairs.filter((pair) => off.standIn.state.persons.get(Number(pair.ct))?.optigemId === pair.og)).toHaveLength(0);
    await off.close();
    world = undefined;

    const on = await start({ partnerNotes: { perRun: 5 } });
    const patches = () => on.standIn.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/persons/')).length;
    on.standIn.resetRequests();
    expect(await linkAll(on)).toBe(links);
    expect(patches()).toBe(unifying + 5);
    const perRun: number[] = [5];
    while (perRun.reduce((a, b) => a + b, 0) < links) {
      on.standIn.resetRequests();
      const next = await run(job({ updateProperties: { conflictProtection: true } }), on.context);
      expect(next.execution.errorCount).toBe(0);
      perRun.push(patches());
      expect(perRun.length).toBeLessThan(links);
    }
    expect(Math.max(...perRun)).toBe(5);
    // Every linked person shows the number now; another run writes nothing.
    on.standIn.resetRequests();
    await run(job({ updateProperties: { conflictProtection: true } }), on.context);
    expect(patches()).toBe(0);
    for (const pair of await on.ct.storage.pairs.load('demo', 'person')) {
      expect(on.standIn.state.persons.get(Number(pair.ct))?.optigemId).toBe(pair.og);
    }
  });
});
