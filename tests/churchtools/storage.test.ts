import { afterEach, describe, expect, it } from 'vitest';
import { grantModuleRights, revokeModuleRights, fullModuleRights, EXTENSION_KEY } from '../../dev/standin/state.ts';
import { CorruptValueError, KvRightsError, LockHeldError, LockLostError, StaleRevisionError } from '../../src/churchtools/index.ts';
import type { Job } from '../../src/sync/model.ts';
import { harness, type Harness } from './helpers.ts';
import { changeScattered, makePairs } from './pair-fixtures.ts';

let h: Harness | null = null;
const sortedList = (list: readonly string[]): string[] => [...list].sort();
afterEach(async () => {
  await h?.close();
  h = null;
});

const job = (id: string, name = 'Personen abgleichen'): Job => ({
  id,
  name,
  connectionId: 'conn-1',
  domain: 'person',
  actions: { link: { mode: 'newerWins' }, archiveInChurchTools: {} },
  conditions: { churchtools: [{ field: 'statusId', values: ['1', '2'] }], optigem: [] },
  propertyPairKeys: ['fn', 'ln'],
  autoRun: false,
});

function categoryId(h: Harness, shorty: string): number {
  const found = [...h.standIn.state.customCategories.values()].filter((c) => c.shorty === shorty).sort((a, b) => a.id - b.id)[0];
  if (!found) throw new Error(`no category ${shorty}`);
  return found.id;
}

describe('extension data store over HTTP', () => {
  it('finds the module by shorty, creates categories once, and stores documents with revisions', async () => {
    h = await harness();
    const { jobs } = h.ct.storage;
    const saved = await jobs.save(job('j1'), null);
    expect(saved.revision).toBe(1);
    const again = await jobs.save({ ...saved.data, name: 'Neu' }, 1);
    expect(again.revision).toBe(2);
    expect((await jobs.get('j1'))?.data.name).toBe('Neu');
    expect(h.requests().filter((r) => r === 'GET /custommodules')).toHaveLength(1);
    expect(h.requests().filter((r) => r.endsWith('/customdatacategories') && r.startsWith('POST'))).toHaveLength(1);
    // The stored value is JSON with schemaVersion and revision.
    const raw = [...h.standIn.state.customValues.values()].find((v) => v.dataCategoryId === categoryId(h!, 'jobs'))!;
    expect(JSON.parse(raw.value)).toMatchObject({ schemaVersion: 1, revision: 2, data: { id: 'j1', name: 'Neu' } });
  });

  it('refuses to overwrite a newer revision', async () => {
    h = await harness();
    const other = await h.second();
    await h.ct.storage.jobs.save(job('j1'), null);
    const mine = await h.ct.storage.jobs.get('j1');
    const theirs = await other.storage.jobs.get('j1');
    await other.storage.jobs.save({ ...theirs!.data, name: 'Ihres' }, theirs!.revision);
    const error = await h.ct.storage.jobs.save({ ...mine!.data, name: 'Meins' }, mine!.revision).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleRevisionError);
    expect(error).toMatchObject({ category: 'jobs', documentId: 'j1', expectedRevision: 1, actualRevision: 2 });
    expect((await other.storage.jobs.get('j1'))?.data.name).toBe('Ihres');
    await expect(h.ct.storage.jobs.save(job('j1'), null)).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('reports a corrupt value, keeps reading the rest, and never overwrites it', async () => {
    h = await harness();
    await h.ct.storage.jobs.save(job('good'), null);
    const cat = categoryId(h, 'jobs');
    const state = h.standIn.state;
    const broken = { id: state.nextId.customValue++, dataCategoryId: cat, value: '{"schemaVersion":1,"revision":1,"updatedAt":"x","data":{"id":"bad","name":42}}' };
    state.customValues.set(broken.id, broken);
    const junk = { id: state.nextId.customValue++, dataCategoryId: cat, value: 'not json at all' };
    state.customValues.set(junk.id, junk);

    const list = await h.ct.storage.jobs.list();
    expect(list.items.map((i) => i.data.id)).toEqual(['good']);
    expect(list.problems).toEqual([
      expect.objectContaining({ category: 'jobs', valueId: broken.id, documentId: 'bad' }),
      expect.objectContaining({ category: 'jobs', valueId: junk.id, reason: 'not valid JSON' }),
    ]);
    await expect(h.ct.storage.jobs.get('bad')).rejects.toBeInstanceOf(CorruptValueError);
    await expect(h.ct.storage.jobs.save(job('bad'), null)).rejects.toBeInstanceOf(CorruptValueError);
    await h.ct.storage.jobs.save(job('other'), null);
    expect(state.customValues.get(broken.id)?.value).toBe(broken.value);
    expect(state.customValues.get(junk.id)?.value).toBe('not json at all');
  });

  it('keeps the bridge token in its own category', async () => {
    h = await harness();
    await h.ct.storage.connections.save({ id: 'conn-1', name: 'Optigem', bridgeUrl: 'https://bridge.local', propertyPairs: [] }, null);
    await h.ct.storage.secrets.setToken('conn-1', 's3cret');
    expect(await h.ct.storage.secrets.token('conn-1')).toBe('s3cret');
    const connectionValues = [...h.standIn.state.customValues.values()].filter((v) => v.dataCategoryId === categoryId(h!, 'connections'));
    expect(connectionValues.some((v) => v.value.includes('s3cret'))).toBe(false);
    expect(categoryId(h, 'secrets')).not.toBe(categoryId(h, 'connections'));
  });

  it('holds a run lock against others, releases it, and lets an expired one be taken over', async () => {
    h = await harness();
    let now = Date.parse('2026-01-01T10:00:00Z');
    const clock = { now: () => new Date(now) };
    const a = (await h.second({ storage: clock })).storage.locks;
    const b = (await h.second({ storage: clock })).storage.locks;
    const lock = await a.acquire('job-1', 'browser:anna');
    await expect(b.acquire('job-1', 'runner:nightly')).rejects.toBeInstanceOf(LockHeldError);
    const renewed = await a.renew(lock);
    await a.release(renewed);
    const taken = await b.acquire('job-1', 'runner:nightly');
    expect(taken.data.owner).toBe('runner:nightly');
    // The holder dies: after expiry someone else may take over, and the old holder cannot renew.
    now += 11 * 60_000;
    const takeover = await a.acquire('job-1', 'browser:anna');
    expect(takeover.data.owner).toBe('browser:anna');
    await expect(b.renew(taken)).rejects.toBeInstanceOf(LockLostError);
    await b.release(taken);
    expect((await a.current('job-1'))?.data.owner).toBe('browser:anna');
    // Another job's lock is independent.
    await b.acquire('job-2', 'runner:nightly');
  });

  it('takes a lock with a claim and its read-back: of two simultaneous starts exactly one holds it, the loser leaves no claim, a dead run\'s stale claim is overridden', async () => {
    h = await harness();
    let now = Date.parse('2026-01-01T10:00:00Z');
    const clock = { now: () => new Date(now) };
    const [anna, bernd, nightly] = await Promise.all([h.second({ storage: clock }), h.second({ storage: clock }), h.second({ storage: clock })]);
    const locksCategory = await h.ct.storage.categories.id('locks');
    // Each client has found the module and the category already (a run reads them to start).
    await Promise.all([anna, bernd, nightly].map((ct) => ct.storage.categories.id('locks')));
    const values = `/custommodules/${h.standIn.state.customCategories.get(locksCategory)?.customModuleId}/customdatacategories/${locksCategory}/customdatavalues`;
    const lockRequests = (): string[] => h!.standIn.requests.filter((r) => r.path.startsWith(values)).map((r) => r.method);
    const KEY = 'conn-1:person';

    // A lone start: the claim and its read-back, no look before.
    h.standIn.resetRequests();
    const held = await anna.storage.locks.acquire(KEY, { owner: 'Anna', runId: 'run-anna' });
    expect(lockRequests()).toEqual(['POST', 'GET']);

    // A start against the held lock: claim, read-back, withdrawal; refused, the holder keeps it.
    h.standIn.resetRequests();
    await expect(bernd.storage.locks.acquire(KEY, { owner: 'Bernd', runId: 'run-bernd' })).rejects.toBeInstanceOf(LockHeldError);
    expect(lockRequests()).toEqual(['POST', 'GET', 'DELETE']);
    expect((await h.ct.storage.locks.claims(KEY)).map((c) => c.data.runId)).toEqual(['run-anna']);
    await expect(anna.storage.locks.renew(held)).resolves.toMatchObject({ valueId: held.valueId });
    await anna.storage.locks.release(held);

    // Simultaneous starts: both claims are written before either is read back.
    for (let trial = 0; trial < 3; trial++) {
      h.standIn.resetRequests();
      h.standIn.faults.hold({ method: 'POST', pathPrefix: values }, 2, 10_000);
      const results = await Promise.allSettled([
        anna.storage.locks.acquire(KEY, { owner: 'Anna', runId: `anna-${trial}` }),
        bernd.storage.locks.acquire(KEY, { owner: 'Bernd', runId: `bernd-${trial}` }),
      ]);
      const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toBeInstanceOf(LockHeldError);
      expect(sortedList(lockRequests())).toEqual(['DELETE', 'GET', 'GET', 'POST', 'POST']);
      // The first claim written wins; the loser's claim is gone.
      const claims = await h.ct.storage.locks.claims(KEY);
      expect(claims.map((c) => c.valueId)).toEqual([winners[0]!.valueId]);
      await (winners[0]!.data.owner === 'Anna' ? anna : bernd).storage.locks.release(winners[0]!);
      h.standIn.faults.clear();
    }

    // A run that died holding the lock: after its lease the next start takes over in two
    // requests and is told the dead claim (the runner records that run and removes it).
    await anna.storage.locks.acquire(KEY, { owner: 'Anna (killed)', runId: 'dead-run', jobId: 'personen' });
    now += 11 * 60_000;
    h.standIn.resetRequests();
    let told: string[] = [];
    const taken = await nightly.storage.locks.acquire(KEY, { owner: 'nightly', runId: 'nightly-run' }, undefined, (expired) => {
      told = expired.map((c) => c.data.runId ?? '');
    });
    expect(taken.data.runId).toBe('nightly-run');
    expect(told).toEqual(['dead-run']);
    expect(lockRequests()).toEqual(['POST', 'GET']);
    expect((await nightly.storage.locks.current(KEY))?.data.runId).toBe('nightly-run');
  });

  it('does not let one user\'s two runs share a lock, and caps a lock that claims to never expire', async () => {
    h = await harness();
    let now = Date.parse('2026-01-01T10:00:00Z');
    const clock = { now: () => new Date(now) };
    const locks = (await h.second({ storage: clock })).storage.locks;
    const first = await locks.acquire('conn-1:person', { owner: 'CLI (Anna Admin)', jobName: 'Personen' });
    // Same owner string, another run: refused, and its claim is withdrawn again.
    const refused = await locks.acquire('conn-1:person', { owner: 'CLI (Anna Admin)', jobName: 'Personen' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockHeldError);
    expect(refused).toMatchObject({ owner: 'CLI (Anna Admin)', since: '2026-01-01T10:00:00.000Z', holderJobName: 'Personen' });
    expect(await locks.claims('conn-1:person')).toHaveLength(1);
    await locks.release(first);

    // A hand-written lock "until 9999" (and one with a renewal far ahead) blocks only for the maximum lease.
    const locksCategory = await h.ct.storage.categories.id('locks');
    for (const [renewedAt, expiresAt] of [['2026-01-01T10:00:00.000Z', '9999-12-31T00:00:00.000Z'], ['2030-01-01T00:00:00.000Z', 'never']] as const) {
      const value = JSON.stringify({ schemaVersion: 1, revision: 1, updatedAt: renewedAt, data: { id: 'conn-1:person', owner: 'crashed', acquiredAt: renewedAt, renewedAt, expiresAt } });
      const stored = [...h.standIn.state.customValues.values()].length;
      await h.ct.storage.categories.kv.createValue(locksCategory, value);
      expect([...h.standIn.state.customValues.values()].length).toBe(stored + 1);
    }
    await expect(locks.acquire('conn-1:person', 'browser:bernd')).rejects.toBeInstanceOf(LockHeldError);
    now += locks.maxLeaseMs;
    const taken = await locks.acquire('conn-1:person', 'browser:bernd');
    expect(taken.data.owner).toBe('browser:bernd');
  });

  it('creates a missing category only once when two browsers start together', async () => {
    h = await harness();
    const others = await Promise.all([h.second(), h.second(), h.second()]);
    await Promise.all([h.ct, ...others].map((ct) => ct.storage.categories.id('executions')));
    const ids = await Promise.all([h.ct, ...others].map((ct) => ct.storage.categories.id('executions')));
    expect(new Set(ids).size).toBe(1);
    expect([...h.standIn.state.customCategories.values()].filter((c) => c.shorty === 'executions')).toHaveLength(1);
  });

  it('names the missing module rights', async () => {
    h = await harness();
    revokeModuleRights(h.standIn.state, h.standIn.admin.personId, EXTENSION_KEY);
    const error = await h.ct.storage.jobs.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KvRightsError);
    expect((error as KvRightsError).rights).toEqual([expect.objectContaining({ module: EXTENSION_KEY, permission: 'view' })]);

    grantModuleRights(h.standIn.state, h.standIn.admin.personId, EXTENSION_KEY, { ...fullModuleRights(), createCategory: false });
    const fresh = await h.second();
    const denied = await fresh.storage.jobs.list().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KvRightsError);
    expect((denied as KvRightsError).rights).toEqual([expect.objectContaining({ permission: 'create custom category' })]);

    grantModuleRights(h.standIn.state, h.standIn.admin.personId, EXTENSION_KEY);
    await fresh.storage.jobs.save(job('j1'), null);
    grantModuleRights(h.standIn.state, h.standIn.admin.personId, EXTENSION_KEY, { ...fullModuleRights(), editData: [] });
    const edit = await fresh.storage.jobs.save({ ...job('j1'), name: 'x' }, 1).catch((e: unknown) => e);
    expect((edit as KvRightsError).rights).toEqual([
      expect.objectContaining({ module: EXTENSION_KEY, permission: 'edit custom data', ids: [categoryId(h, 'jobs')] }),
    ]);

    const perms = await fresh.permissions.load();
    const missing = perms.missingStoreRights(await fresh.storage.categories.known());
    expect(missing).toEqual([expect.objectContaining({ permission: 'edit custom data', ids: [categoryId(h, 'jobs')] })]);
  });

  it('stores and reads an execution log in parts', async () => {
    h = await harness();
    const writer = h.ct.storage.logs.writer('exec-1');
    for (let seq = 0; seq < 3000; seq++) {
      await writer.add({
        seq,
        action: 'link',
        type: 'link',
        system: 'both',
        ctId: String(seq),
        ogId: String(10_000 + seq),
        label: `Muster, Person ${seq}`,
        changes: [{ field: 'email', oldValue: null, newValue: `person${seq}@example.org` }],
        message: { key: 'log.link', args: { n: seq } },
        level: 'info',
        state: 'done',
      });
    }
    await writer.flush();
    const parts = h.requests().filter((r) => r.startsWith('POST') && r.endsWith('/customdatavalues')).length;
    h.standIn.resetRequests();
    const read = await h.ct.storage.logs.read('exec-1');
    expect(read.problems).toEqual([]);
    expect(read.entries.map((e) => e.seq)).toEqual([...Array(3000).keys()]);
    expect(h.requests()).toEqual([`GET /custommodules/1/customdatacategories/${categoryId(h, 'logs')}/customdatavalues`]);
    console.log(`3,000 log entries: ${parts} values`);
    expect(parts).toBeLessThan(30);
    expect((await h.ct.storage.logs.read('exec-2')).entries).toEqual([]);
  });

  it('reads back every kind of entry an execution can log, the pre-flight refusal of a booking job too', async () => {
    h = await harness();
    const writer = h.ct.storage.logs.writer('exec-3');
    const actions = ['link', 'restore', 'pairs', 'preflight'] as const;
    for (const [seq, action] of actions.entries()) {
      await writer.add({
        seq,
        action,
        type: 'skip',
        system: 'optigem',
        ctId: null,
        ogId: String(1132 + seq),
        label: `Spender ${seq}`,
        changes: [],
        message: { key: 'preflight.donorNotLinked', args: { donor: String(1132 + seq) } },
        level: 'error',
        state: 'skipped',
      });
    }
    await writer.flush();
    const read = await h.ct.storage.logs.read('exec-3');
    expect(read.problems).toEqual([]);
    expect(read.entries.map((e) => e.action)).toEqual([...actions]);
  });
});

describe('ChurchToolsPairStore over HTTP', () => {
  it('saves 5,000 pairs in chunks, reloads them in one read, and saves 3 changes with one write', async () => {
    h = await harness();
    const pairs = makePairs(5000);
    await h.ct.storage.pairs.save('conn-1', 'person', pairs);
    const firstSave = h.requests();
    h.standIn.resetRequests();

    const other = await h.second();
    await other.storage.categories.id('pairs-person'); // the one-time lookup, counted apart
    h.standIn.resetRequests();
    const loaded = await other.storage.pairs.load('conn-1', 'person');
    const reload = h.requests();
    expect(loaded).toHaveLength(pairs.length);
    expect(new Map(loaded.map((p) => [p.ct, p]))).toEqual(new Map(pairs.map((p) => [p.ct, p])));
    h.standIn.resetRequests();

    const changed = changeScattered(pairs, 3);
    await other.storage.pairs.save('conn-1', 'person', changed);
    const second = h.requests();
    h.standIn.resetRequests();
    const back = await (await h.second()).storage.pairs.load('conn-1', 'person');
    expect(new Map(back.map((p) => [p.ct, p]))).toEqual(new Map(changed.map((p) => [p.ct, p])));

    console.log(`pair store over HTTP, 5,000 pairs: first save ${firstSave.length} requests, reload ${reload.length}, 3 changes ${second.length}`);
    expect(firstSave.length).toBeLessThanOrEqual(25);
    expect(reload).toHaveLength(1);
    expect(second.length).toBeLessThanOrEqual(3);
    expect(second.filter((r) => !r.startsWith('GET'))).toHaveLength(1);
    // Every stored value stays within ChurchTools' limit.
    expect(Math.max(...[...h.standIn.state.customValues.values()].map((v) => v.value.length))).toBeLessThanOrEqual(10_000);
  });

  it('meets the targets for 30,000 pairs', async () => {
    h = await harness();
    const pairs = makePairs(30_000, { fields: 10 });
    await h.ct.storage.pairs.save('conn-1', 'person', pairs);
    const first = h.requests().length;
    h.standIn.resetRequests();
    await h.ct.storage.pairs.save('conn-1', 'person', changeScattered(pairs, 10));
    const second = h.requests().length;
    const reader = await h.second();
    h.standIn.resetRequests();
    const loaded = await reader.storage.pairs.load('conn-1', 'person');
    const reload = h.requests().length;
    console.log(`pair store over HTTP, 30,000 pairs (fp ${pairs[0]!.fp.length} chars): first save ${first}, 10 changes ${second}, reload ${reload} (incl. module + category lookup)`);
    expect(loaded).toHaveLength(pairs.length);
    expect(first).toBeLessThanOrEqual(100);
    expect(second).toBeLessThanOrEqual(3);
    expect(reload).toBeLessThanOrEqual(3);
  }, 60_000);
});
