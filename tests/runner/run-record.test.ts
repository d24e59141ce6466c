/**
 * Every run leaves its record (issue 14 §8), over real HTTP: the stand-in and a real bridge, the
 * headless runner as the CLI and the nightly runner use it. Lock renewals go on all the time
 * (every few milliseconds) so that renewal, release and the run's own writes interleave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { connectHeadless, type Headless } from '../../src/runner/headless.ts';
import { RunFailedError, runLockKey } from '../../src/runner/job-runner.ts';
import type { LogEntry } from '../../src/sync/model.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { cliWorld, demoDocument, type CliWorld } from '../cli/helpers.ts';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const KEY = runLockKey({ connectionId: 'optigem', domain: 'person' });

async function setUp(): Promise<{ w: CliWorld; headless: Headless }> {
  w = await cliWorld();
  const imported = await w.cli(['import', w.file('jobs.json', demoDocument(w.bridge.url)), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  const headless = await connectHeadless({ churchToolsUrl: w.standIn.url, loginToken: w.standIn.admin.loginToken, owner: 'CLI', http: FAST_HTTP, lockRenewMs: 5 });
  return { w, headless };
}

function done(entries: readonly LogEntry[], type: LogEntry['type']): number {
  return entries.filter((entry) => entry.state === 'done' && entry.type === type).length;
}

describe('every run leaves its record', () => {
  it('a run killed before its first write (it stored nothing yet) is recorded by the next run, which finds its expired claim', async () => {
    const { headless } = await setUp();
    // What a killed run leaves: its claim, taken an hour ago and never renewed or released.
    const client = createNodeClient(w!.standIn.url, w!.standIn.admin.loginToken);
    await client.loginWithToken(w!.standIn.admin.loginToken);
    const anHourAgo = createChurchTools(client, { http: FAST_HTTP, storage: { now: () => new Date(Date.now() - 3_600_000) } });
    await anHourAgo.storage.locks.acquire(KEY, { owner: 'CLI (killed)', runId: 'killed-run', jobId: 'personen', jobName: 'Personen abgleichen' });
    expect(headless.storage.locks.isExpired((await headless.storage.locks.claims(KEY))[0]!.data)).toBe(true);
    const report = await headless.runner.run('personen');
    expect(report.execution.status).not.toBe('running');
    expect((await headless.storage.executions.get('killed-run'))?.data).toMatchObject({
      jobId: 'personen',
      status: 'cancelled',
      problems: [{ key: 'refusal.interrupted', args: {} }],
    });
    // The dead run's claim is gone, and so is the run's own.
    expect(await headless.storage.locks.claims(KEY)).toEqual([]);
  }, 120_000);

  it('renews and releases its lock one after the other under 429 answers: the run succeeds and leaves no claim', async () => {
    const { w, headless } = await setUp();
    w.standIn.faults.rateLimitShare(0.2);
    const report = await headless.runner.run('personen');
    w.standIn.faults.clear();
    const rateLimited = w.standIn.requests.filter((r) => r.status === 429).length;
    expect(rateLimited).toBeGreaterThan(10);
    expect(report.execution.status).toBe('succeeded');
    expect((await headless.storage.executions.get(report.execution.id))?.data.status).toBe('succeeded');
    expect((await headless.storage.logs.read(report.execution.id)).entries).toHaveLength(report.entries.length);
    expect(await headless.storage.locks.claims(KEY)).toEqual([]);
  }, 120_000);

  it('a run whose lock an admin breaks stops before its next write and stores its execution and log', async () => {
    const { w, headless } = await setUp();
    const admin = await w.churchTools();
    let broken: Promise<unknown> | null = null;
    const report = await headless.runner.run('personen', {
      onEntry: (entry) => {
        if (broken === null && entry.state === 'done' && entry.type === 'create') broken = admin.storage.locks.breakLock(KEY);
      },
    });
    await broken;
    expect(report.execution.status).toBe('cancelled');
    expect(report.execution.problems).toEqual([expect.objectContaining({ key: 'refusal.lockLost' })]);
    const skipped = report.entries.filter((entry) => entry.state === 'skipped').length;
    expect(skipped).toBeGreaterThan(0);
    const stored = await headless.storage.executions.get(report.execution.id);
    expect(stored?.data).toMatchObject({ status: 'cancelled', problems: [expect.objectContaining({ key: 'refusal.lockLost' })] });
    const log = (await headless.storage.logs.read(report.execution.id)).entries;
    expect(log).toHaveLength(report.entries.length);
    // Every create the counters report is in the log; a couple split is one entry for up to two
    // created spouses, so the log has at most as many create entries as the counters count.
    const created = report.execution.counters.churchtools.create + report.execution.counters.optigem.create;
    expect(done(log, 'create')).toBeGreaterThan(0);
    expect(done(log, 'create')).toBeLessThanOrEqual(created);
    expect(created - done(log, 'create')).toBeLessThanOrEqual(log.filter((entry) => entry.state === 'done' && entry.message.key === 'log.couple.split').length);
  }, 120_000);

  it('a run that fails after it wrote something stores a failed execution and the log of what it wrote', async () => {
    const { w, headless } = await setUp();
    const ct = await w.churchTools();
    const pairs = await ct.storage.categories.id('pairs-person');
    const moduleId = [...w.standIn.state.customCategories.values()].find((c) => c.id === pairs)?.customModuleId;
    const path = `/custommodules/${moduleId}/customdatacategories/${pairs}/customdatavalues`;
    // Saving the pairs fails from now on: the run's writes happen, the pair store refuses.
    w.standIn.faults.failRequests({ method: 'POST', pathPrefix: path }, 500);
    w.standIn.faults.failRequests({ method: 'PUT', pathPrefix: path }, 500);
    w.standIn.resetRequests();
    const error = await headless.runner.run('personen').catch((e: unknown) => e);
    w.standIn.faults.clear();
    expect(error).toBeInstanceOf(RunFailedError);
    const { report } = error as RunFailedError;
    expect(report.execution.status).toBe('failed');
    // It did write: links note the partner in ChurchTools (PATCH /persons/{id}).
    const written = w.standIn.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/persons/') && r.status < 300).length;
    expect(written).toBeGreaterThan(0);
    expect(report.execution.counters.both.link).toBe(done(report.entries, 'link'));
    expect(report.execution.counters.both.link).toBeGreaterThan(0);
    const stored = await headless.storage.executions.get(report.execution.id);
    expect(stored?.data).toMatchObject({ status: 'failed', counters: { both: { link: report.execution.counters.both.link } }, problems: [expect.objectContaining({ key: 'error.unexpected' })] });
    expect((await headless.storage.logs.read(report.execution.id)).entries).toEqual(report.entries);
    expect(await headless.storage.locks.claims(KEY)).toEqual([]);
  }, 120_000);
});
