// Issue 17: "the overview flags a nightly job that was refused, failed or did not run for more
// than a day, with the reason and the fix". The derivation, from the bridge's last results and,
// when the bridge cannot be asked, from the runs stored in ChurchTools.
import { describe, expect, it } from 'vitest';
import type { NightlyStatusBody } from '../../src/optigem/index.ts';
import { fixRoute, nightlyFlag, staleAfterMs, windowLengthMs, type NightlyBridgeView, type NightlyJobFacts, type NightlyResultBody } from '../../src/extension/services/nightly-health.ts';
import { emptyCounters, type Execution } from '../../src/sync/model.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const job = { id: 'j1', name: 'Spenden nachts', connectionId: 'c1', autoRun: true };
const donorRefusal = { key: 'blocker.preflight.donorNotLinked', args: { donor: 'Optigem 4711', system: 'optigem', bookings: 3, booking: 'B-1' } };

function status(lastResults: NightlyResultBody[], extra: Partial<NightlyStatusBody> = {}): NightlyBridgeView {
  return { state: 'known', status: { enabled: true, nextRun: '2026-03-11T00:00:00Z', busy: false, window: { start: '00:00', end: '04:00' }, timeZone: 'UTC', lastResults, ...extra } };
}

function run(status: Execution['status'], startedAt: string, extra: Partial<Execution> = {}): Execution {
  return { id: `e-${startedAt}`, jobId: job.id, connectionId: 'c1', dryRun: false, status, startedAt, finishedAt: startedAt, counters: emptyCounters(), errorCount: 0, conflictCount: 0, ...extra };
}

function facts(over: Partial<NightlyJobFacts>): NightlyJobFacts {
  return { job, savedAt: '2026-03-01T10:00:00Z', lastRun: undefined, bridge: { state: 'unknown' }, ...over };
}

describe('nightly health: which job with automatic execution needs a person', () => {
  it('flags a refused nightly run with the refusal as its reason and "link the donors" as the fix', () => {
    const lastRun = run('refused', '2026-03-10T00:05:00Z', { refusal: donorRefusal });
    const bridge = status([{ jobId: 'j1', jobName: job.name, executionId: lastRun.id, status: 'refused', at: '2026-03-10T00:06:00Z', refusal: donorRefusal, trigger: 'window' }]);
    const flag = nightlyFlag(facts({ lastRun, bridge }), NOW);
    expect(flag).toMatchObject({ reason: 'refused', detail: donorRefusal, fix: 'linkDonors', executionId: lastRun.id, since: '2026-03-10T00:06:00Z', source: 'bridge' });
    expect(fixRoute(flag!)).toEqual({ name: 'job-run', params: { id: 'j1' } });
  });

  it('flags a job the bridge skips night after night since a pre-flight refusal, with the bridge\'s words for the technical details', () => {
    const reason = 'The last run was refused by its pre-flight check; run it by hand successfully to resume automatic execution.';
    const bridge = status([{ jobId: 'j1', jobName: job.name, executionId: null, status: 'skipped', at: '2026-03-10T00:01:00Z', reason, refusal: { key: 'validation.noAction' } }]);
    const flag = nightlyFlag(facts({ lastRun: run('refused', '2026-03-07T00:05:00Z'), bridge }), NOW);
    expect(flag).toMatchObject({ reason: 'skipped', fix: 'editJob', technical: reason, detail: { key: 'validation.noAction' } });
    expect(fixRoute(flag!)).toEqual({ name: 'job', params: { id: 'j1' } });
  });

  it('flags a failed run (and a runner error) with the way to the execution or the bridge', () => {
    const failed = nightlyFlag(facts({ bridge: status([{ jobId: 'j1', jobName: job.name, executionId: 'e9', status: 'failed', at: '2026-03-10T01:00:00Z', reason: 'ChurchTools answered 500' }]) }), NOW);
    expect(failed).toMatchObject({ reason: 'failed', fix: 'openExecution', technical: 'ChurchTools answered 500' });
    expect(fixRoute(failed!)).toEqual({ name: 'execution', params: { id: 'e9' } });
    const error = nightlyFlag(facts({ bridge: status([{ jobId: 'j1', jobName: job.name, executionId: null, status: 'error', at: '2026-03-10T01:00:00Z', reason: 'Cannot read executions: ECONNREFUSED' }]) }), NOW);
    expect(error).toMatchObject({ reason: 'failed', fix: 'checkBridge' });
    expect(fixRoute(error!)).toEqual({ name: 'connection', params: { id: 'c1' } });
  });

  it('flags an incomplete run, and one whose changes beyond the simulation were held back', () => {
    const incomplete = nightlyFlag(facts({ bridge: status([{ jobId: 'j1', jobName: job.name, executionId: 'e3', status: 'incomplete', at: '2026-03-10T01:00:00Z' }]) }), NOW);
    expect(incomplete).toMatchObject({ reason: 'incomplete', fix: 'openExecution', executionId: 'e3' });
    const heldBack = { count: 4, message: { key: 'nightly.beyondSimulation', args: { createPlanned: 4, createSimulated: 0 } } };
    const held = nightlyFlag(facts({ bridge: status([{ jobId: 'j1', jobName: job.name, executionId: 'e4', status: 'succeeded', at: '2026-03-10T01:00:00Z', heldBack }]) }), NOW);
    expect(held).toMatchObject({ reason: 'heldBack', fix: 'simulateAgain', detail: heldBack.message });
  });

  it('flags a job whose last run is older than a day plus the window, and one that never ran since it was switched on', () => {
    // Window 00:00–04:00: 28 h without a run is the limit.
    expect(staleAfterMs(status([]))).toBe(28 * 3_600_000);
    const old = run('succeeded', '2026-03-09T07:59:00Z');
    expect(nightlyFlag(facts({ lastRun: old, bridge: status([]) }), NOW)).toMatchObject({ reason: 'notRun', since: new Date(old.startedAt).toISOString(), fix: 'checkBridge', executionId: old.id });
    const recent = run('succeeded', '2026-03-09T08:01:00Z');
    expect(nightlyFlag(facts({ lastRun: recent, bridge: status([]) }), NOW)).toBeNull();
    expect(nightlyFlag(facts({ savedAt: '2026-03-08T09:00:00Z' }), NOW)).toMatchObject({ reason: 'neverRun', since: '2026-03-08T09:00:00.000Z' });
    // Switched on (saved) this morning: no run is expected yet.
    expect(nightlyFlag(facts({ savedAt: '2026-03-10T09:00:00Z' }), NOW)).toBeNull();
    // Saving the job again restarts the clock even after old runs.
    expect(nightlyFlag(facts({ lastRun: old, savedAt: '2026-03-10T09:00:00Z' }), NOW)).toBeNull();
  });

  it('names the bridge configuration as the fix when its nightly runner is off', () => {
    const flag = nightlyFlag(facts({ savedAt: '2026-03-01T00:00:00Z', bridge: status([], { enabled: false, window: null }) }), NOW);
    expect(flag).toMatchObject({ reason: 'neverRun', fix: 'enableNightly' });
    expect(fixRoute(flag!)).toBeNull();
  });

  it('does not flag a job that ran fine last night', () => {
    const lastRun = run('succeeded', '2026-03-10T00:05:00Z');
    const bridge = status([{ jobId: 'j1', jobName: job.name, executionId: lastRun.id, status: 'succeeded', at: '2026-03-10T00:07:00Z', trigger: 'window' }]);
    expect(nightlyFlag(facts({ lastRun, bridge }), NOW)).toBeNull();
    expect(nightlyFlag(facts({ lastRun }), NOW)).toBeNull();
  });

  it('does not flag a job without automatic execution, whatever happened to it', () => {
    const manual = { ...job, autoRun: false };
    const bridge = status([{ jobId: 'j1', jobName: job.name, executionId: 'e1', status: 'failed', at: '2026-03-01T00:00:00Z' }]);
    expect(nightlyFlag(facts({ job: manual, lastRun: run('refused', '2026-03-01T00:05:00Z', { refusal: donorRefusal }), bridge }), NOW)).toBeNull();
    expect(nightlyFlag(facts({ job: manual, savedAt: '2026-01-01T00:00:00Z' }), NOW)).toBeNull();
  });

  it('falls back to the runs stored in ChurchTools when the bridge is unreachable', () => {
    const refused = run('refused', '2026-03-10T00:05:00Z', { refusal: { key: 'refusal.massChange', args: { count: 40, pairs: 100, percent: 10 } } });
    expect(nightlyFlag(facts({ lastRun: refused }), NOW)).toMatchObject({ reason: 'refused', fix: 'confirmByHand', source: 'churchtools', executionId: refused.id });
    const problem = { key: 'problem.readFailed', args: { detail: 'timeout' } };
    expect(nightlyFlag(facts({ lastRun: run('incomplete', '2026-03-10T00:05:00Z', { problems: [problem] }) }), NOW)).toMatchObject({ reason: 'incomplete', detail: problem, source: 'churchtools' });
    expect(nightlyFlag(facts({ lastRun: run('succeeded', '2026-03-08T00:05:00Z') }), NOW)).toMatchObject({ reason: 'notRun', source: 'churchtools' });
  });

  it('lets a newer run by hand clear a refused night, and a newer night outweigh an older run', () => {
    const byHand = run('succeeded', '2026-03-10T09:00:00Z');
    const refusedNight = status([{ jobId: 'j1', jobName: job.name, executionId: 'night', status: 'refused', at: '2026-03-10T00:06:00Z', refusal: donorRefusal }]);
    expect(nightlyFlag(facts({ lastRun: byHand, bridge: refusedNight }), NOW)).toBeNull();
    const olderRun = run('succeeded', '2026-03-09T00:05:00Z');
    expect(nightlyFlag(facts({ lastRun: olderRun, bridge: refusedNight }), NOW)).toMatchObject({ reason: 'refused', source: 'bridge' });
  });

  it('reads windows across midnight', () => {
    expect(windowLengthMs({ start: '22:00', end: '02:00' })).toBe(4 * 3_600_000);
    expect(windowLengthMs({ start: '01:30', end: '03:00' })).toBe(90 * 60_000);
    expect(windowLengthMs(null)).toBe(4 * 3_600_000);
  });
});
