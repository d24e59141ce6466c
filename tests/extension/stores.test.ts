// The extension's stores against in-memory twins: real storage (MemoryKv), real JobRunner and
// engine, MemorySystem for both systems.
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { KEEP_EXECUTIONS } from '../../src/churchtools/kv/repositories.ts';
import { useBackendStore } from '../../src/extension/stores/backend.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { useConnectionTestStore, classifyBridgeFailure } from '../../src/extension/stores/connection-test.ts';
import { filterExecutions, useExecutionsStore } from '../../src/extension/stores/executions.ts';
import { newJob, useJobsStore } from '../../src/extension/stores/jobs.ts';
import { useOptionsStore } from '../../src/extension/stores/options.ts';
import { usePairsStore } from '../../src/extension/stores/pairs.ts';
import { usePermissionsStore } from '../../src/extension/stores/permissions.ts';
import { usePersonStore } from '../../src/extension/stores/person.ts';
import { usePropertyPairsStore } from '../../src/extension/stores/property-pairs.ts';
import { useRecordsStore } from '../../src/extension/stores/records.ts';
import { useRunsStore } from '../../src/extension/stores/runs.ts';
import { emptyCounters, type Job } from '../../src/sync/model.ts';
import { createTwins, type Twins } from './ui-twins.ts';

const TOKEN = 'secret-token-1234';

async function withConnection(twins: Twins): Promise<string> {
  const connections = useConnectionsStore();
  const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
  await connections.saveToken(id, TOKEN);
  return id;
}

/** Connection with the usual pairs, the status mapping applied and its fallback set to skip. */
async function withPropertyPairs(twins: Twins): Promise<string> {
  const id = await withConnection(twins);
  await useOptionsStore().loadMeta(id);
  const pp = usePropertyPairsStore();
  await pp.open(id);
  await pp.addDefaults();
  pp.applyAllTo('stat');
  pp.applyAllTo('sex');
  pp.setFallback('stat', { kind: 'skip' });
  expect(await pp.save()).toBe(true);
  return id;
}

function personJob(connectionId: string, change: Partial<Job> = {}): Job {
  return {
    ...newJob(connectionId),
    name: 'Mitglieder',
    actions: { link: { mode: 'newerWins' }, updateProperties: { conflictProtection: true } },
    conditions: { churchtools: [{ field: 'statusId', values: ['1'] }], optigem: [{ field: 'Kategorien', values: ['150'] }] },
    propertyPairKeys: ['fn', 'ln', 'em', 'bd', 'city', 'stat'],
    ...change,
  };
}

describe('connections store', () => {
  it('stores the token in the secrets category and hands views only a hint', async () => {
    const twins = createTwins();
    const connections = useConnectionsStore();
    const id = await withConnection(twins);
    expect(connections.list).toEqual([{ id, name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9', propertyPairs: [] }]);
    expect(connections.tokens[id]).toEqual({ present: true, hint: '…1234' });
    expect(JSON.stringify(connections.$state)).not.toContain(TOKEN);
    expect(await twins.storage.secrets.token(id)).toBe(TOKEN);
    // A fresh session reads the same from storage.
    await connections.load(true);
    expect(connections.tokens[id]?.hint).toBe('…1234');
  });

  it('tests a connection: facts on success, a precise problem on failure', async () => {
    const twins = createTwins();
    const tester = useConnectionTestStore();
    const ok = await tester.test('new', 'http://bridge.local:8478/', TOKEN);
    expect(ok.ok).toBe(true);
    expect(ok.health?.version).toBe('1.2.3');
    expect(ok.meta?.categories.map((c) => c.label)).toContain('150: Mitglieder');

    const wrong = await tester.test('new', 'http://bridge.local:8478', 'nope');
    expect(wrong.problem?.kind).toBe('unauthorized');
    expect((await tester.test('x', 'bridge.local', TOKEN)).problem?.kind).toBe('invalidUrl');
    expect((await tester.test('x', 'http://bridge.local', null)).problem?.kind).toBe('noToken');
    expect(twins.bridgeCalls.filter((c) => c.startsWith('health'))).toHaveLength(2);
  });

  it('tells CORS, mixed content and the local-network block apart', () => {
    const blocked = (detail: string) => Object.assign(new Error(detail), { kind: 'blocked', args: { detail } });
    expect(classifyBridgeFailure(blocked('CORS: https://x is not an allowed origin'), 'http://10.0.0.5:8478').kind).toBe('cors');
    expect(classifyBridgeFailure(blocked('mixed content: an HTTPS page may not call an HTTP bridge'), 'http://10.0.0.5').kind).toBe('mixedContent');
    expect(classifyBridgeFailure(Object.assign(new Error('x'), { kind: 'tls', args: { detail: 'CERT_HAS_EXPIRED' } }), 'https://b').kind).toBe('tls');
    // No page host in Node: a LAN address seen from a public page is a local-network request.
    expect(classifyBridgeFailure(Object.assign(new Error('x'), { kind: 'unreachable', args: {} }), 'http://192.168.1.20:8478').kind).toBe('privateNetwork');
    expect(classifyBridgeFailure(Object.assign(new Error('x'), { kind: 'unreachable', args: {} }), 'https://bridge.example.org').kind).toBe('unreachable');
  });
});

describe('property pairs store', () => {
  it('adds the usual pairs with short stable keys, maps equal names and reports completeness', async () => {
    const twins = createTwins();
    const id = await withConnection(twins);
    await useOptionsStore().loadMeta(id);
    const pp = usePropertyPairsStore();
    await pp.open(id);
    await pp.addDefaults();
    expect(pp.draft.map((p) => p.key)).toEqual(['fn', 'ln', 'em', 'bd', 'st', 'zip', 'city', 'mob', 'stat', 'sex']);
    expect(pp.missingDefaults.person).toEqual([]);

    pp.applyAllTo('stat');
    const stat = pp.draft.find((p) => p.key === 'stat')!;
    expect(stat.mapping?.entries).toEqual([
      { churchtools: '1', optigem: '150' },
      { churchtools: '2', optigem: '160' },
      { churchtools: '3', optigem: '170' },
    ]);
    const state = pp.completenessOf(stat)!;
    expect(state).toMatchObject({ total: 4, mapped: 3, blocking: true });
    expect(state.missing.map((m) => m.name)).toEqual(['Optigem']);
    expect(state.unmanaged.map((m) => m.name)).toEqual(['300: Rundbrief']);

    pp.setFallback('stat', { kind: 'skip' });
    expect(pp.completenessOf(pp.draft.find((p) => p.key === 'stat')!)?.blocking).toBe(false);
    expect(pp.dirty).toBe(true);
    expect(await pp.save()).toBe(true);
    expect(pp.dirty).toBe(false);
    expect((await twins.storage.connections.get(id))?.data.propertyPairs).toHaveLength(10);
  });
});

describe('jobs store', () => {
  it('opens the property pairs while the connection list is still loading, never as an empty list that saving would store', async () => {
    const twins = createTwins();
    const id = await withPropertyPairs(twins);
    // A fresh app (page opened by address): the overview starts loading the connections, then
    // the property-pairs view opens the same connection.
    const pinia = createPinia();
    setActivePinia(pinia);
    useBackendStore(pinia).use(twins.backend);
    const overview = useConnectionsStore().load();
    const pp = usePropertyPairsStore();
    await pp.open(id);
    await overview;
    expect(pp.connectionId).toBe(id);
    expect(pp.draft.map((p) => p.key)).toContain('stat');
    expect(pp.dirty).toBe(false);
  });

  it('refuses to save exclusive actions together and names what keeps a job from running', async () => {
    const twins = createTwins();
    const id = await withPropertyPairs(twins);
    const jobs = useJobsStore();
    await usePermissionsStore().load();

    const invalid = personJob(id, { actions: { updateProperties: { conflictProtection: true }, importProperties: { conflictProtection: true } } });
    const issues = await jobs.save(invalid);
    expect(issues.map((i) => i.message.key)).toContain('validation.exclusiveActions');
    expect((await twins.storage.jobs.list()).items).toHaveLength(0);

    const job = personJob(id);
    expect(await jobs.save(job)).toEqual([]);
    expect(jobs.readiness(job)).toEqual([]);
    expect((await twins.storage.jobs.get(job.id))?.data.name).toBe('Mitglieder');

    // A blocking mapping shows up by name.
    const pp = usePropertyPairsStore();
    pp.setFallback('stat', { kind: 'block' });
    await pp.save();
    expect(jobs.readiness(job)).toEqual([{ key: 'readiness.unmapped', args: { ctField: 'statusId', optigemField: 'Kategorien', values: 'Optigem' } }]);
  });

  it('names missing ChurchTools rights for the chosen actions', async () => {
    const twins = createTwins({ rights: { churchdb: { view: true, 'view alldata': [-1] } } });
    const id = await withPropertyPairs(twins);
    await usePermissionsStore().load();
    const blockers = useJobsStore().runBlockers(personJob(id, { actions: { import: { defaults: {} } } }));
    expect(blockers.map((b) => b.args?.permission)).toEqual(['create person', 'write access']);
  });
});

describe('runs, executions, pairs and the person panel', () => {
  async function scenario() {
    const twins = createTwins();
    const id = await withPropertyPairs(twins);
    twins.ct.add({ id: '10', properties: { firstName: 'Anna', lastName: 'Müller', email: 'anna@example.org', birthday: null, city: 'Lindenhöhe', statusId: '1' } });
    twins.ct.add({ id: '11', properties: { firstName: 'Bernd', lastName: 'Schulz', email: null, birthday: null, city: 'Ort', statusId: '1' } });
    twins.og.add({ id: '500', properties: { Vorname: 'Anna', Nachname: 'Müller', EMail: 'anna@example.org', Geburtsdatum: null, Ort: 'Lindenhöhe', Kategorien: ['150'] } });
    twins.og.add({ id: '501', properties: { Vorname: 'Bernhard', Nachname: 'Schulz', EMail: null, Geburtsdatum: null, Ort: 'Ort', Kategorien: ['150'] } });
    const job = personJob(id);
    await useJobsStore().save(job);
    return { twins, id, job };
  }

  it('simulates, runs exactly the simulated plan, and stores execution and log', async () => {
    const { twins, id, job } = await scenario();
    const runs = useRunsStore();
    const simulation = await runs.simulate(job.id);
    expect(simulation?.execution).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(simulation?.execution.counters.both.link).toBe(1);
    expect(runs.simulations[job.id]).toBe(simulation);
    expect(runs.active).toBeNull();

    const run = await runs.run(job.id, { exact: true });
    expect(run?.execution).toMatchObject({ dryRun: false, status: 'succeeded' });
    expect(await twins.storage.pairs.load(id, 'person')).toEqual([expect.objectContaining({ ct: '10', og: '500', status: 'synced' })]);

    const executions = useExecutionsStore();
    await executions.load(true);
    expect(executions.items.map((e) => e.dryRun)).toEqual(expect.arrayContaining([true, false]));
    expect(executions.latestByJob[job.id]?.dryRun).toBe(false);
    const log = await executions.loadLog(run!.execution.id);
    expect(log.map((e) => e.type)).toContain('link');
    expect(filterExecutions(executions.items, { kind: 'simulation' })).toHaveLength(1);
    expect(filterExecutions(executions.items, { from: '2999-01-01' })).toHaveLength(0);
  });

  it('cleans up the history where it is read: beyond the newest 200 executions, older ones go with their logs', async () => {
    const twins = createTwins();
    const { storage } = twins;
    for (let i = 0; i < KEEP_EXECUTIONS + 3; i++) {
      const id = `exec-${String(i).padStart(3, '0')}`;
      await storage.executions.create({
        id,
        jobId: 'job-1',
        connectionId: 'conn-1',
        dryRun: false,
        status: 'succeeded',
        startedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        finishedAt: null,
        counters: emptyCounters(),
        errorCount: 0,
        conflictCount: 0,
      });
      if (i < 3) {
        const writer = storage.logs.writer(id);
        await writer.add({ seq: 0, action: 'link', type: 'link', system: 'both', ctId: '1', ogId: '2', label: 'Muster, Max', changes: [], message: { key: 'log.link', args: {} }, level: 'info', state: 'done' });
        await writer.flush();
      }
    }
    const executions = useExecutionsStore();
    await executions.load(true);
    expect(executions.items).toHaveLength(KEEP_EXECUTIONS + 3);
    await vi.waitFor(async () => expect((await storage.executions.list()).items).toHaveLength(KEEP_EXECUTIONS));
    const kept = (await storage.executions.list()).items.map((item) => item.data.id);
    expect(kept).not.toContain('exec-000');
    expect(kept).toContain(`exec-${KEEP_EXECUTIONS + 2}`);
    expect((await storage.logs.read('exec-000')).entries).toEqual([]);
  });

  it('refuses "run exactly this" when the data changed after the simulation', async () => {
    const { twins, job } = await scenario();
    const runs = useRunsStore();
    await runs.simulate(job.id);
    twins.og.add({ id: '502', properties: { Vorname: 'Bernd', Nachname: 'Schulz', EMail: null, Geburtsdatum: null, Ort: 'Ort', Kategorien: ['150'] } });
    const run = await runs.run(job.id, { exact: true });
    expect(run?.execution.status).toBe('refused');
    expect(run?.execution.refusal?.key).toBe('refusal.planChanged');
    expect(twins.ct.writes).toEqual([]);
  });

  it('unlinks, links by hand and relinks, keeping ChurchTools\' Optigem number in step', async () => {
    const { twins, id, job } = await scenario();
    await useRunsStore().run(job.id);
    const pairs = usePairsStore();
    await pairs.load(id);
    expect(pairs.pairOf(id, 'churchtools', '10')?.og).toBe('500');

    await pairs.unlink(id, '10', '500');
    expect(await twins.storage.pairs.load(id, 'person')).toEqual([]);
    expect(twins.ct.get('10').properties.optigemId).toBe('');

    await pairs.link(id, '11', '501');
    expect(pairs.pairOf(id, 'optigem', '501')?.ct).toBe('11');
    expect(twins.ct.get('11').properties.optigemId).toBe('501');
    await expect(pairs.link(id, '11', '500')).rejects.toMatchObject({ reason: 'alreadyPaired' });

    await pairs.relink(id, { ct: '11', og: '501' }, 'optigem', '500');
    expect((await twins.storage.pairs.load(id, 'person')).map((p) => `${p.ct}-${p.og}`)).toEqual(['11-500']);
    expect(twins.ct.get('11').properties.optigemId).toBe('500');
  });

  it('unlinking forgets the ChurchTools partner an Optigem person was created with, so the next run does not restore the link', async () => {
    const { twins, id } = await scenario();
    const created = await twins.og.create('person', { Vorname: 'Nina', Nachname: 'Neu' }, { idempotencyKey: 'k', partnerId: '10' });
    expect(twins.og.get(created.id).partnerHint).toBe('10');
    const pairs = usePairsStore();
    await pairs.link(id, '10', created.id);
    await pairs.unlink(id, '10', created.id);
    expect(twins.og.get(created.id).partnerHint).toBeNull();
  });

  it('offers the best Optigem candidates for an unlinked person and finds its history', async () => {
    const { id, job } = await scenario();
    await useRunsStore().run(job.id);
    const records = await useRecordsStore().load(id);
    await usePairsStore().load(id);
    const person = usePersonStore();
    const bernd = records!.churchtools.byId.get('11')!;
    expect(person.suggestionsFor(id, bernd).map((s) => s.record.id)).toEqual(['501']);
    await person.loadHistory(id, '10', '500');
    expect(person.history.map((h) => h.entry.type)).toContain('link');
  });
});
