import { describe, expect, it } from 'vitest';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { createStorage } from '../../src/churchtools/kv/storage.ts';
import { LockHeldError } from '../../src/churchtools/kv/errors.ts';
import { KEEP_EXECUTIONS } from '../../src/churchtools/kv/repositories.ts';
import { CLEAN_UP_EVERY, JobRunner, RunnerError } from '../../src/runner/job-runner.ts';
import { emptyCounters } from '../../src/sync/model.ts';
import { PROPERTY_PAIRS, ctPerson, job, ogPerson, world } from '../sync/fixtures.ts';

async function setUp() {
  const w = world();
  const storage = createStorage(new MemoryKv(), { now: () => w.clock.now() });
  await storage.connections.save({ id: 'conn-1', name: 'Optigem', bridgeUrl: 'https://bridge.example', propertyPairs: PROPERTY_PAIRS }, null);
  await storage.secrets.setToken('conn-1', 'secret-token');
  await storage.jobs.save(job({ link: { mode: 'newerWins' }, import: { defaults: {} } }), null);
  w.ct.add({ properties: ctPerson('Anna', 'Schmidt') });
  w.og.add({ properties: ogPerson('Anna', 'Schmidt') });
  w.og.add({ properties: ogPerson('Clara', 'Weiß') });
  const tokens: string[] = [];
  const runner = new JobRunner({
    churchtools: { port: w.ct, storage },
    optigemPort: (_connection, token) => {
      tokens.push(token);
      return w.og;
    },
    owner: 'Anna Admin',
    clock: w.clock,
  });
  return { w, storage, runner, tokens };
}

describe('job runner', () => {
  it('simulates a stored job with the stored connection and token, and stores the execution and its log', async () => {
    const { storage, runner, tokens, w } = await setUp();
    const report = await runner.simulate('job-1');
    expect(tokens).toEqual(['secret-token']);
    expect(report.execution).toMatchObject({ dryRun: true, status: 'succeeded', counters: { both: { link: 1 }, churchtools: { create: 1 } } });
    expect((await storage.executions.get(report.execution.id))?.data.status).toBe('succeeded');
    expect((await storage.logs.read(report.execution.id)).entries.map((e) => e.type)).toEqual(['link', 'create']);
    expect(w.ct.writes).toEqual([]);
  });

  it('runs a stored job, saving pairs in ChurchTools, and a second run changes nothing', async () => {
    const { storage, runner } = await setUp();
    const report = await runner.run('job-1');
    expect(report.execution.status).toBe('succeeded');
    expect(await storage.pairs.load('conn-1', 'person')).toHaveLength(2);
    const second = await runner.simulate('job-1');
    expect(second.plan?.operations).toEqual([]);
  });

  it('stores only final log entries, while the live view also sees pending ones', async () => {
    const { storage, runner } = await setUp();
    const live: string[] = [];
    const report = await runner.run('job-1', { onEntry: (entry) => live.push(entry.state) });
    expect(live).toEqual(['pending', 'done', 'pending', 'done']);
    expect((await storage.logs.read(report.execution.id)).entries.map((e) => e.state)).toEqual(['done', 'done']);
  });

  it('refuses to run while another run of the same connection holds the lock, and releases its own lock afterwards', async () => {
    const { storage, runner } = await setUp();
    const lock = await storage.locks.acquire('conn-1:person', 'Bernd im anderen Tab');
    await expect(runner.run('job-1')).rejects.toBeInstanceOf(LockHeldError);
    await storage.locks.release(lock);
    await runner.run('job-1');
    const again = await storage.locks.acquire('conn-1:person', 'Bernd im anderen Tab');
    expect(again.data.owner).toBe('Bernd im anderen Tab');
  });

  it("follows the connection's setting for the Optigem number on ChurchTools persons", async () => {
    const { storage, runner, w } = await setUp();
    await runner.run('job-1');
    expect(w.ct.writes.filter((write) => write.kind === 'notePartner')).toEqual([]);
    const stored = (await storage.connections.get('conn-1'))!;
    await storage.connections.save({ ...stored.data, partnerNumbers: { show: true, perRun: 500 } }, stored.revision);
    await runner.run('job-1');
    // Anna was linked: she gets the number now; Clara was created with it.
    expect(w.ct.writes.filter((write) => write.kind === 'notePartner')).toHaveLength(1);
    expect([...w.ct.records.values()].every((person) => typeof person.properties.optigemId === 'string')).toBe(true);
  });

  it('keeps the history within its limit although nobody reads it: about one plain run in CLEAN_UP_EVERY cleans up, the others read no list', async () => {
    const { storage, runner } = await setUp();
    await runner.run('job-1');
    for (let i = 0; i < KEEP_EXECUTIONS; i++) {
      const startedAt = new Date(Date.UTC(2000, 0, 1) + i * 60_000).toISOString();
      await storage.executions.create({ id: `old-${i}`, jobId: 'job-1', connectionId: 'conn-1', dryRun: false, status: 'succeeded', startedAt, finishedAt: startedAt, counters: emptyCounters(), errorCount: 0, conflictCount: 0 });
    }
    const cleanedBy: number[] = [];
    const due: number[] = [];
    const runs = 2 * CLEAN_UP_EVERY;
    for (let run = 0; run < runs; run++) {
      const before = (await storage.executions.list()).items.length;
      const report = await runner.run('job-1');
      expect(report.execution.status).toBe('succeeded');
      const stored = await storage.executions.get(report.execution.id);
      const after = (await storage.executions.list()).items.length;
      if (stored!.valueId % CLEAN_UP_EVERY === 0) due.push(stored!.valueId);
      if (after <= before) cleanedBy.push(stored!.valueId);
      else expect(after).toBe(before + 1);
    }
    // The runs whose record's value id is divisible by CLEAN_UP_EVERY, and only they, cleaned up.
    expect(due.length).toBeGreaterThanOrEqual(1);
    expect(cleanedBy).toEqual(due);
    expect((await storage.executions.list()).items.length).toBeLessThanOrEqual(KEEP_EXECUTIONS + CLEAN_UP_EVERY);
  });

  it('says which piece of configuration is missing', async () => {
    const { storage, runner } = await setUp();
    await expect(runner.simulate('nope')).rejects.toMatchObject({ code: 'jobNotFound', subject: 'nope' });
    await storage.secrets.remove('conn-1');
    await expect(runner.simulate('job-1')).rejects.toBeInstanceOf(RunnerError);
  });

  it('never runs a booking job of a connection with the old, reversed booking sides, and holds no lock after refusing', async () => {
    const { storage, runner, w } = await setUp();
    const reversed = [
      ...PROPERTY_PAIRS,
      { key: 'ts', domain: 'transaction' as const, churchtools: 'contraAccount', optigem: 'debitAccount' },
      { key: 'th', domain: 'transaction' as const, churchtools: 'account', optigem: 'creditAccount' },
    ];
    const stored = (await storage.connections.get('conn-1'))!;
    await storage.connections.save({ ...stored.data, propertyPairs: reversed }, stored.revision);
    await storage.jobs.save({ ...job({ import: { defaults: {} } }), id: 'bookings', domain: 'transaction', propertyPairKeys: ['ts', 'th'], scope: { fiscalYear: '2026' } }, null);

    for (const attempt of [() => runner.simulate('bookings'), () => runner.run('bookings')]) {
      await expect(attempt()).rejects.toMatchObject({ name: 'RunnerError', code: 'bookingSidesReversed', subject: 'conn-1', label: 'Optigem' });
    }
    expect((await storage.executions.recent()).items).toEqual([]);
    expect(w.ct.writes).toEqual([]);
    // The person job of the same connection runs; a booking run fails again for the same
    // reason, not on a run lock the refused run left behind.
    expect((await runner.run('job-1')).execution.status).toBe('succeeded');
    await expect(runner.run('bookings')).rejects.toMatchObject({ code: 'bookingSidesReversed' });
  });
});
