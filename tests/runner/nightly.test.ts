import { describe, expect, it } from 'vitest';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { createStorage } from '../../src/churchtools/kv/storage.ts';
import { JobRunner, runLockKey } from '../../src/runner/job-runner.ts';
import { NightlyBusyError, NightlyJobUnknownError, NightlyRunner, nextWindowStart, windowAt, type NightlyResult, type NightlyResultStore, type NightlyTimer } from '../../src/runner/nightly.ts';
import type { Clock } from '../../src/sync/ports.ts';
import { emptyCounters } from '../../src/sync/model.ts';
import { PROPERTY_PAIRS, ctPerson, job, ogPerson, world } from '../sync/fixtures.ts';

const BERLIN = 'Europe/Berlin';

describe('nextWindowStart', () => {
  it('finds the next local midnight in winter and in summer time', () => {
    const window = { start: '00:00', end: '04:00' };
    expect(nextWindowStart(new Date('2026-01-15T12:00:00Z'), window, BERLIN).toISOString()).toBe('2026-01-15T23:00:00.000Z');
    expect(nextWindowStart(new Date('2026-07-01T10:00:00Z'), window, BERLIN).toISOString()).toBe('2026-07-01T22:00:00.000Z');
    expect(nextWindowStart(new Date('2026-01-15T23:00:00Z'), window, BERLIN).toISOString()).toBe('2026-01-15T23:00:00.000Z');
    // inside tonight's window: tomorrow night's start
    expect(nextWindowStart(new Date('2026-01-15T23:30:00Z'), window, BERLIN).toISOString()).toBe('2026-01-16T23:00:00.000Z');
    expect(nextWindowStart(new Date('2026-01-15T12:00:00Z'), window, 'UTC').toISOString()).toBe('2026-01-16T00:00:00.000Z');
  });

  it('handles the switch to summer time and windows across midnight', () => {
    // 02:30 does not exist on 29 March 2026 in Berlin: the window starts at 03:30 summer time.
    expect(nextWindowStart(new Date('2026-03-28T23:00:00Z'), { start: '02:30', end: '04:00' }, BERLIN).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 22:00–02:00 in New York (UTC-5 in January)
    const late = { start: '22:00', end: '02:00' };
    expect(nextWindowStart(new Date('2026-01-15T12:00:00Z'), late, 'America/New_York').toISOString()).toBe('2026-01-16T03:00:00.000Z');
    const open = windowAt(new Date('2026-01-16T06:30:00Z'), late, 'America/New_York');
    expect(open && { start: open.start.toISOString(), end: open.end.toISOString() }).toEqual({ start: '2026-01-16T03:00:00.000Z', end: '2026-01-16T07:00:00.000Z' });
    expect(windowAt(new Date('2026-01-16T07:00:00Z'), late, 'America/New_York')).toBeNull();
  });

  it('refuses an empty window, a malformed time and an unknown time zone', () => {
    expect(() => nextWindowStart(new Date(), { start: '01:00', end: '01:00' }, BERLIN)).toThrow(/empty/);
    expect(() => nextWindowStart(new Date(), { start: '1:00', end: '04:00' }, BERLIN)).toThrow(/not a time/);
    expect(() => new NightlyRunner({ runner: { run: async () => Promise.reject(new Error('unused')) }, storage: { jobs: { list: async () => ({ items: [], problems: [] }) }, executions: { recent: async () => ({ items: [], problems: [] }) } }, timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone/);
  });
});

class SetClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

class FakeTimer implements NightlyTimer {
  pending: { callback: () => void; ms: number } | null = null;
  setTimeout(callback: () => void, ms: number): unknown {
    this.pending = { callback, ms };
    return this.pending;
  }
  clearTimeout(): void {
    this.pending = null;
  }
}

async function setUp(start = '2026-01-15T12:00:00Z') {
  const clock = new SetClock(new Date(start));
  const w = world();
  const storage = createStorage(new MemoryKv(), { now: () => clock.now() });
  await storage.connections.save({ id: 'conn-1', name: 'Optigem', bridgeUrl: 'https://bridge.example', propertyPairs: PROPERTY_PAIRS }, null);
  await storage.secrets.setToken('conn-1', 'secret');
  await storage.jobs.save({ ...job({ link: { mode: 'newerWins' }, import: { defaults: {} } }), autoRun: true }, null);
  w.ct.add({ properties: ctPerson('Anna', 'Schmidt') });
  w.og.add({ properties: ogPerson('Anna', 'Schmidt') });
  w.og.add({ properties: ogPerson('Clara', 'Weiß') });
  const runner = new JobRunner({ churchtools: { port: w.ct, storage }, optigemPort: () => w.og, owner: 'nightly', clock });
  const timer = new FakeTimer();
  const memory: NightlyResult[] = [];
  /** The bridge keeps results in its state database; this twin keeps them across runner instances. */
  const resultStore: NightlyResultStore = {
    load: () => [...memory],
    save: (result) => {
      const at = memory.findIndex((r) => r.jobId === result.jobId);
      if (at >= 0) memory.splice(at, 1, result);
      else memory.push(result);
    },
  };
  const make = () => new NightlyRunner({ runner, storage, clock, timer, timeZone: BERLIN, maxSleepMs: 48 * 3_600_000, resultStore });
  const nightly = make();
  /** Lets the scheduled timer fire at the clock's current time and waits for the pass. */
  const fire = async (n: NightlyRunner = nightly) => {
    const pending = timer.pending;
    if (!pending) throw new Error('nothing scheduled');
    timer.pending = null;
    pending.callback();
    await n.tick();
  };
  const runs = async (jobId = 'job-1') => (await storage.executions.recent(jobId)).items.filter((e) => !e.data.dryRun);
  return { clock, storage, runner, timer, nightly, make, fire, runs, w };
}

describe('NightlyRunner', () => {
  it('runs an autoRun job once inside the window, not outside, and not twice the same night', async () => {
    const t = await setUp();
    t.nightly.start();
    expect(t.timer.pending?.ms).toBe(0);
    await t.fire();
    expect(await t.runs()).toHaveLength(0);
    expect(t.nightly.status().nextRun).toBe('2026-01-15T23:00:00.000Z');
    expect(t.nightly.nextRunFor('job-1')).toBe('2026-01-15T23:00:00.000Z');
    expect(t.timer.pending?.ms).toBe(11 * 3_600_000);

    t.clock.set('2026-01-15T23:00:00Z');
    await t.fire();
    const first = await t.runs();
    expect(first).toHaveLength(1);
    expect(t.nightly.status().lastResults).toEqual([{ jobId: 'job-1', jobName: 'Personen', executionId: first[0]?.data.id, status: 'succeeded', at: '2026-01-15T23:00:00.000Z', trigger: 'window' }]);
    // looks again in 10 minutes (locks, newly enabled jobs), but has nothing left tonight
    expect(t.timer.pending?.ms).toBe(10 * 60_000);
    expect(t.nightly.nextRunFor('job-1')).toBe('2026-01-16T23:00:00.000Z');
    expect(t.nightly.status().nextRun).toBe('2026-01-16T23:00:00.000Z');

    t.clock.set('2026-01-15T23:10:00Z');
    await t.fire();
    expect(await t.runs()).toHaveLength(1);

    // A restarted runner sees tonight's stored run and leaves the job alone too.
    const restarted = t.make();
    t.clock.set('2026-01-16T01:00:00Z');
    restarted.start();
    await t.fire(restarted);
    expect(await t.runs()).toHaveLength(1);
    await restarted.stop();

    // the window has closed: nothing runs until tomorrow night
    t.clock.set('2026-01-16T03:00:00Z');
    await t.nightly.tick();
    expect(await t.runs()).toHaveLength(1);

    t.clock.set('2026-01-16T23:05:00Z');
    await t.nightly.tick();
    expect(await t.runs()).toHaveLength(2);
    await t.nightly.stop();
    expect(t.nightly.status().nextRun).toBeNull();
  });

  it('respects the run lock: a held lock is reported and retried later in the window', async () => {
    const t = await setUp('2026-01-15T23:30:00Z');
    // Runs of any job of a connection and domain share one lock.
    const lock = await t.storage.locks.acquire(runLockKey({ connectionId: 'conn-1', domain: 'person' }), 'Anna Admin (Browser)');
    t.nightly.start();
    await t.fire();
    expect(await t.runs()).toHaveLength(0);
    expect(t.nightly.status().lastResults[0]).toMatchObject({ jobId: 'job-1', status: 'locked', executionId: null, reason: expect.stringMatching(/Anna Admin/) });
    expect(t.nightly.nextRunFor('job-1')).toBe('2026-01-15T23:40:00.000Z');

    await t.storage.locks.release(lock);
    t.clock.set('2026-01-15T23:40:00Z');
    await t.fire();
    expect(await t.runs()).toHaveLength(1);
    expect(t.nightly.status().lastResults[0]).toMatchObject({ status: 'succeeded' });
    // and it gave the lock back
    expect(await t.storage.locks.current('conn-1:person')).toBeNull();
    await t.nightly.stop();
  });

  it('skips a job whose last run was refused by its pre-flight until someone runs it by hand successfully', async () => {
    const t = await setUp('2026-01-15T23:30:00Z');
    const broken = { ...job({ updateProperties: { conflictProtection: true }, importProperties: { conflictProtection: true } }), id: 'job-2', name: 'Kaputt', autoRun: true };
    await t.storage.jobs.save(broken, null);

    t.nightly.start();
    await t.fire();
    const refused = await t.runs('job-2');
    expect(refused.map((e) => [e.data.status, e.data.refusal?.key])).toEqual([['refused', 'validation.exclusiveActions']]);
    expect(t.nightly.status().lastResults.find((r) => r.jobId === 'job-2')).toMatchObject({ status: 'refused', refusal: { key: 'validation.exclusiveActions' } });
    expect(t.nightly.nextRunFor('job-2')).toBeNull();
    expect(t.nightly.nextRunFor('job-1')).toBe('2026-01-16T23:00:00.000Z');

    // next night: skipped and reported, no new execution
    t.clock.set('2026-01-16T23:30:00Z');
    await t.fire();
    expect(await t.runs('job-2')).toHaveLength(1);
    expect(t.nightly.status().lastResults.find((r) => r.jobId === 'job-2')).toMatchObject({
      status: 'skipped',
      executionId: refused[0]?.data.id,
      reason: expect.stringMatching(/pre-flight/),
      refusal: { key: 'validation.exclusiveActions' },
    });
    expect(await t.runs('job-1')).toHaveLength(2);

    // an admin fixes the job and runs it by hand during the day
    t.clock.set('2026-01-17T10:00:00Z');
    const stored = await t.storage.jobs.get('job-2');
    await t.storage.jobs.save({ ...broken, actions: { importProperties: { conflictProtection: true } } }, stored?.revision ?? null);
    expect((await t.runner.run('job-2')).execution.status).toBe('succeeded');

    t.clock.set('2026-01-17T23:30:00Z');
    await t.nightly.tick();
    expect((await t.runs('job-2')).map((e) => e.data.status)).toEqual(['succeeded', 'succeeded', 'refused']);
    expect(t.nightly.status().lastResults.find((r) => r.jobId === 'job-2')).toMatchObject({ status: 'succeeded' });
    await t.nightly.stop();
  });

  it('does not run jobs without automatic execution', async () => {
    const t = await setUp('2026-01-15T23:30:00Z');
    const stored = await t.storage.jobs.get('job-1');
    await t.storage.jobs.save({ ...(stored?.data ?? job({})), autoRun: false }, stored?.revision ?? null);
    t.nightly.start();
    await t.fire();
    expect(await t.runs()).toHaveLength(0);
    expect(t.nightly.status()).toMatchObject({ nextRun: null, lastResults: [] });
    expect(t.nightly.nextRunFor('job-1')).toBeNull();
    await t.nightly.stop();
  });

  it('tries a run again in the same window when it was cancelled or never finished, a bounded number of times, and says why', async () => {
    const t = await setUp('2026-01-15T23:20:00Z');
    // What a restart 13 s into a run leaves behind: an execution that says "running" forever.
    const killed = { id: 'killed', jobId: 'job-1', connectionId: 'conn-1', dryRun: false, status: 'running' as const, startedAt: '2026-01-15T23:10:00.000Z', finishedAt: null, counters: emptyCounters(), errorCount: 0, conflictCount: 0 };
    await t.storage.executions.save(killed, null);
    const events: string[] = [];
    const nightly = new NightlyRunner({ runner: t.runner, storage: t.storage, clock: t.clock, timer: t.timer, timeZone: BERLIN, onEvent: (e) => { if (e.type === 'started') events.push(`${e.trigger}: ${e.reason ?? ''}`); } });
    nightly.start();
    await t.fire(nightly);
    const runs = await t.runs();
    expect(runs.map((e) => e.data.status)).toEqual(['succeeded', 'running']);
    expect(events).toEqual([expect.stringMatching(/^resume: the run started at 2026-01-15T23:10:00.000Z did not finish \(try 2 of 3\)/)]);
    expect(nightly.status().lastResults[0]).toMatchObject({ status: 'succeeded', trigger: 'resume' });
    // Once a try succeeded, the job is done for the night.
    t.clock.set('2026-01-15T23:40:00Z');
    await nightly.tick();
    expect(await t.runs()).toHaveLength(2);
    await nightly.stop();
  });

  it('waits a pause before a retry and gives up after three runs in one window', async () => {
    const t = await setUp('2026-01-15T23:12:00Z');
    const base = { jobId: 'job-1', connectionId: 'conn-1', dryRun: false, counters: emptyCounters(), errorCount: 0, conflictCount: 0 };
    await t.storage.executions.save({ ...base, id: 'a', status: 'cancelled', startedAt: '2026-01-15T23:01:00.000Z', finishedAt: '2026-01-15T23:02:00.000Z' }, null);
    await t.storage.executions.save({ ...base, id: 'b', status: 'cancelled', startedAt: '2026-01-15T23:08:00.000Z', finishedAt: '2026-01-15T23:09:00.000Z' }, null);
    t.nightly.start();
    await t.fire();
    // 3 minutes after the last try: still in the pause.
    expect(await t.runs()).toHaveLength(2);
    t.clock.set('2026-01-15T23:15:00Z');
    await t.nightly.tick();
    expect((await t.runs()).map((e) => e.data.status)).toEqual(['succeeded', 'cancelled', 'cancelled']);

    // A third cancelled try is the last one tonight.
    const t2 = await setUp('2026-01-15T23:30:00Z');
    for (const [id, minute] of [['a', 1], ['b', 8], ['c', 15]] as const) {
      await t2.storage.executions.save({ ...base, id, status: 'cancelled', startedAt: `2026-01-15T23:${String(minute).padStart(2, '0')}:00.000Z`, finishedAt: `2026-01-15T23:${String(minute + 1).padStart(2, '0')}:00.000Z` }, null);
    }
    t2.nightly.start();
    await t2.fire();
    expect(await t2.runs()).toHaveLength(3);
    expect(t2.nightly.nextRunFor('job-1')).toBe('2026-01-16T23:00:00.000Z');
    await Promise.all([t.nightly.stop(), t2.nightly.stop()]);
  });

  it('keeps its last results across a restart', async () => {
    const t = await setUp('2026-01-15T23:30:00Z');
    t.nightly.start();
    await t.fire();
    await t.nightly.stop();
    const before = t.nightly.status().lastResults;
    expect(before).toHaveLength(1);
    const restarted = t.make();
    expect(restarted.status().lastResults).toEqual(before);
  });

  it('runs now what the window would run, outside the window, and refuses an unknown job or a second start', async () => {
    const t = await setUp('2026-01-15T12:00:00Z');
    t.nightly.start();
    await t.fire();
    const results = await t.nightly.runNow();
    expect(results).toMatchObject([{ jobId: 'job-1', status: 'succeeded', trigger: 'runNow' }]);
    expect(await t.runs()).toHaveLength(1);
    // Named by its name; a run by hand does not need the window.
    expect(await t.nightly.runNow('Personen')).toMatchObject([{ jobId: 'job-1', status: 'succeeded' }]);
    expect(await t.runs()).toHaveLength(2);
    await expect(t.nightly.runNow('Nope')).rejects.toBeInstanceOf(NightlyJobUnknownError);
    const first = t.nightly.runNow();
    await expect(t.nightly.runNow()).rejects.toBeInstanceOf(NightlyBusyError);
    await first;
    await t.nightly.stop();
  });

  it('runs at night only the creates, archives and deletes its last simulation showed; updates and links always', async () => {
    const t = await setUp('2026-01-15T12:00:00Z');
    // The admin simulates: Anna is linked, Clara imported (1 create).
    const simulated = await t.runner.simulate('job-1');
    expect(simulated.execution.counters.churchtools.create).toBe(1);
    // During the day five more people appear in Optigem.
    for (const name of ['Dora', 'Emil', 'Frieda', 'Gustav', 'Hanna']) t.w.og.add({ properties: ogPerson(name, 'Neu') });
    t.clock.set('2026-01-15T23:30:00Z');
    t.nightly.start();
    await t.fire();
    const result = t.nightly.status().lastResults[0];
    // 6 creates planned, 1 simulated, margin 2: the creates wait for a fresh simulation.
    expect(result).toMatchObject({ status: 'succeeded', heldBack: { count: 6, message: { key: 'nightly.beyondSimulation', args: { createPlanned: 6, createSimulated: 1 } } } });
    const run = (await t.runs())[0]?.data;
    expect(run?.counters.both.link).toBe(1);
    expect(run?.counters.churchtools.create).toBe(0);
    const log = await t.storage.logs.read(run?.id ?? '');
    expect(log.entries.filter((e) => e.state === 'skipped' && e.message.key === 'nightly.beyondSimulation')).toHaveLength(6);
    await t.nightly.stop();

    // A job that allows creates unattended imports them.
    const stored = await t.storage.jobs.get('job-1');
    await t.storage.jobs.save({ ...(stored?.data ?? job({})), unattended: { allow: ['create'], margin: 2 } }, stored?.revision ?? null);
    t.clock.set('2026-01-15T23:45:00Z');
    const runNow = await t.make().runNow();
    expect(runNow[0]?.heldBack).toBeUndefined();
    expect((await t.runs())[0]?.data.counters.churchtools.create).toBe(6);
  });
});
