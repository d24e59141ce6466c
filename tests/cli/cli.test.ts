/**
 * optigem-sync in-process (`main(argv, io)`) against the ChurchTools stand-in and a real bridge
 * over HTTP: a whole admin session, and every exit code.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../../src/cli/main.ts';
import { cliRunReportSchema, type CliRunReport } from '../../src/cli/report.ts';
import { runLockKey } from '../../src/runner/job-runner.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { cliWorld, demoDocument, type CliWorld } from './helpers.ts';

let w: CliWorld;
beforeAll(async () => {
  w = await cliWorld();
});
afterAll(async () => {
  await w?.close();
});

const committedSchema = z.fromJSONSchema(JSON.parse(readFileSync(new URL('../../docs/cli-report.schema.json', import.meta.url), 'utf8')) as z.core.JSONSchema.JSONSchema);

/** Parses `--json` output, checked against the zod schema and the committed JSON Schema. */
function report(stdout: string): CliRunReport {
  const json = JSON.parse(stdout) as unknown;
  const checked = committedSchema.safeParse(json);
  expect(checked.error?.issues ?? []).toEqual([]);
  return cliRunReportSchema.parse(json);
}

function kvSnapshot(): string {
  const { customCategories, customValues } = w.standIn.state;
  return JSON.stringify([[...customCategories.entries()], [...customValues.entries()]]);
}

const writes = (since: number) => w.standIn.requests.slice(since).filter((r) => r.method !== 'GET');

describe('optigem-sync: a session', () => {
  it('imports a job document, simulates, runs, and a second run changes nothing; the UI sees every execution', async () => {
    const file = w.file('jobs.json', demoDocument(w.bridge.url));
    const imported = await w.cli(['import', file, '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Connection "Optigem Gemeinde" [optigem]: created');
    expect(imported.stdout).toContain('Job "Personen abgleichen" [personen]: created');
    expect(imported.stdout).toContain('Bridge token: stored in ChurchTools');
    expect(imported.stdout).not.toMatch(/written|notStored|keptStored/);

    const listed = await w.cli(['jobs']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Personen abgleichen\s+personen\s+person\s+yes\s+never/);

    const persons = w.standIn.state.persons.size;
    const simulated = await w.cli(['simulate', 'Personen abgleichen', '--json']);
    // The demo data has namesakes with another e-mail (issue 14 §1): they wait for a decision (exit 1).
    expect(simulated.code, simulated.stderr).toBe(1);
    const simulation = report(simulated.stdout);
    expect(simulation).toMatchObject({ command: 'simulate', exitCode: 1, outcome: 'possibleDuplicates', job: { id: 'personen' }, execution: { dryRun: true, status: 'succeeded' }, error: null });
    expect(simulation.possibleDuplicates.length).toBeGreaterThan(0);
    expect(simulation.execution?.counters.churchtools.create).toBeGreaterThan(0);
    expect(simulation.execution?.counters.both.link).toBeGreaterThan(0);
    expect(simulation.entries.every((e) => e.state === 'planned')).toBe(true);
    // every entry names both records where it has them, and its field changes
    expect(simulation.entries.find((e) => e.type === 'link')).toMatchObject({ ctId: expect.any(String), ogId: expect.any(String), actionName: expect.stringMatching(/^Link people/) });
    expect(simulation.entries.find((e) => e.type === 'update' && e.changes.length > 0)?.changes[0]).toMatchObject({ field: expect.any(String) });
    expect(simulation.entries.find((e) => e.type === 'create' && e.message.key === 'log.create.created')).toMatchObject({ ogId: expect.any(String), changes: expect.arrayContaining([expect.objectContaining({ field: 'lastName' })]) });
    expect(w.standIn.state.persons.size).toBe(persons);

    const ran = await w.cli(['run', 'personen', '--json']);
    expect(ran.code, ran.stderr).toBe(1);
    const run = report(ran.stdout);
    expect(run).toMatchObject({ command: 'run', exitCode: 1, outcome: 'possibleDuplicates', execution: { dryRun: false, status: 'succeeded', errorCount: 0 } });
    // honest simulation: the run did what the simulation said
    expect(run.execution?.counters).toEqual(simulation.execution?.counters);
    expect(w.standIn.state.persons.size).toBe(persons + (simulation.execution?.counters.churchtools.create ?? 0));

    // A second run writes nothing; only the undecided possible duplicates are listed again.
    const again = await w.cli(['run', 'Personen abgleichen']);
    expect(again.code).toBe(1);
    expect(again.stdout.split('\n')[0]).toMatch(/^Run .*"Personen abgleichen"/);
    expect(again.stdout).toContain(`${simulation.possibleDuplicates.length} log entries`);
    expect(again.stdout).toContain(`Possible duplicates needing a decision: ${simulation.possibleDuplicates.length} (not created)`);
    expect(again.stdout).toContain('Result: possible duplicates need a decision (nothing created for them) (exit code 1)');

    // Stored as the extension stores them: the Sync module lists these executions and logs.
    const ct = await w.churchTools();
    const executions = (await ct.storage.executions.recent('personen')).items.map((e) => e.data);
    expect(executions.map((e) => [e.dryRun, e.status])).toEqual([
      [false, 'succeeded'],
      [false, 'succeeded'],
      [true, 'succeeded'],
    ]);
    expect((await ct.storage.logs.read(run.execution?.id ?? '')).entries).toHaveLength(run.entries.length);
    const counters = run.execution?.counters;
    expect((await ct.storage.pairs.load('optigem', 'person')).length).toBe((counters?.both.link ?? 0) + (counters?.churchtools.create ?? 0));

    const jobs = await w.cli(['jobs', '--json']);
    const listing = JSON.parse(jobs.stdout) as { jobs: { id: string; lastExecution: { dryRun: boolean; status: string } | null }[] };
    expect(listing.jobs).toEqual([expect.objectContaining({ id: 'personen', lastExecution: expect.objectContaining({ dryRun: false, status: 'succeeded' }) })]);
  });

  it('exports the stored set-up by reference, and importing the export changes nothing', async () => {
    const exported = await w.cli(['export', '--out', 'export.json']);
    expect(exported.code, exported.stderr).toBe(0);
    const document = JSON.parse(readFileSync(`${w.dir}/export.json`, 'utf8')) as { connection: { token: unknown } };
    expect(document.connection.token).toEqual({ stored: true });
    expect(JSON.stringify(document)).not.toContain(w.bridge.rw);
    const since = w.standIn.requests.length;
    const reimported = await w.cli(['import', 'export.json']);
    expect(reimported.code).toBe(0);
    expect(reimported.stdout).toContain('[optigem]: unchanged');
    expect(reimported.stdout).toContain('[personen]: unchanged');
    expect(writes(since)).toEqual([]);
    const withToken = await w.cli(['export', '--job', 'personen', '--include-token']);
    expect(JSON.parse(withToken.stdout)).toMatchObject({ connection: { token: { value: w.bridge.rw } } });
  });

  it('narrows an existing world-readable file to the owner before writing the token into it', async () => {
    const path = `${w.dir}/with-token.json`;
    writeFileSync(path, 'old\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    const exported = await w.cli(['export', '--out', 'with-token.json', '--include-token']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain(w.bridge.rw);
  });

  it('refuses an invalid document with exit 2, lists every problem by JSON path, and stores nothing', async () => {
    const base = demoDocument(w.bridge.url);
    const bad = {
      ...base,
      connection: { ...base.connection, propertyPairs: [...base.connection.propertyPairs, { key: 'Ort', domain: 'person', churchtools: 'city', optigem: 'Ort' }] },
      jobs: [{ ...base.jobs[0], actions: { updateProperties: {}, importProperties: {} }, propertyPairKeys: ['fn', 'xx'], autorun: true }],
    };
    const before = kvSnapshot();
    const since = w.standIn.requests.length;
    const result = await w.cli(['import', w.file('bad.json', bad)]);
    expect(result.code).toBe(2);
    for (const path of ['$.connection.propertyPairs[6].key', '$.jobs[0].autorun', '$.jobs[0].actions.importProperties', '$.jobs[0].propertyPairKeys[1]']) {
      expect(result.stderr).toContain(path);
    }
    expect(result.stderr).toContain('nothing was stored');
    // validated before logging in: not one request to ChurchTools
    expect(w.standIn.requests.length).toBe(since);
    expect(kvSnapshot()).toBe(before);

    const asJson = await w.cli(['import', w.file('bad.json', bad), '--json']);
    expect(asJson.code).toBe(2);
    expect((JSON.parse(asJson.stdout) as { problems: { path: string }[] }).problems.map((p) => p.path)).toContain('$.jobs[0].propertyPairKeys[1]');

    // Valid on its own, but it would take the property pair "ci" from the stored job "personen".
    const slim = { ...base, connection: { ...base.connection, propertyPairs: base.connection.propertyPairs.filter((p) => p.key !== 'ci') }, jobs: [] };
    const clash = await w.cli(['import', w.file('slim.json', slim)]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/\$\.connection\.propertyPairs: the stored job "Personen abgleichen".*"ci"/);
    expect(writes(since)).toEqual([]);
    expect(kvSnapshot()).toBe(before);

    expect((await w.cli(['import', w.file('broken.json', '{ "format": ')])).stderr).toContain('$: not valid JSON');
    expect((await w.cli(['import', w.file('ok.json', base), '--check'])).code).toBe(0);
  });

  it('refuses a bridge token pasted with a line break or control character, and stores nothing', async () => {
    const base = demoDocument(w.bridge.url);
    const ct = await w.churchTools();
    const before = await ct.storage.secrets.token('optigem');
    const inline = await w.cli(['import', w.file('inline.json', { ...base, connection: { ...base.connection, token: { value: 'abc\ndef' } } }), '--store-token']);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain('line break');
    const fromEnv = await w.cli(['import', w.file('env.json', base), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: 'abc\u0007def' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('OPTIGEM_BRIDGE_TOKEN, the bridge token contains a line break');
    expect(await ct.storage.secrets.token('optigem')).toBe(before);
  });

  it('exits 3 while another run holds the lock, naming the job, since when and who', async () => {
    const ct = await w.churchTools();
    const lock = await ct.storage.locks.acquire(runLockKey({ connectionId: 'optigem', domain: 'person' }), { owner: 'Anna Admin (Browser)', jobId: 'personen', jobName: 'Personen abgleichen' });
    try {
      const refused = await w.cli(['run', 'personen', '--json']);
      expect(refused.code).toBe(3);
      expect(report(refused.stdout)).toMatchObject({ exitCode: 3, outcome: 'lockHeld', execution: null, error: { code: 'lockHeld', message: expect.stringMatching(/Anna Admin/) } });
      const plain = await w.cli(['run', 'personen']);
      expect(plain.code).toBe(3);
      expect(plain.stderr).toMatch(/The job "Personen abgleichen" is already running \(since .+ UTC, by Anna Admin \(Browser\)\)/);
      const german = await w.cli(['run', 'personen', '--lang', 'de']);
      expect(german.stderr).toMatch(/Der Auftrag „Personen abgleichen“ läuft bereits \(seit .+ UTC, von Anna Admin \(Browser\)\)/);
      expect(plain.stderr).not.toContain('optigem:person');
    } finally {
      await ct.storage.locks.release(lock);
    }
  });

  it('breaks a stale lock only after confirmation (unlock, run --break-lock)', async () => {
    const ct = await w.churchTools();
    const key = runLockKey({ connectionId: 'optigem', domain: 'person' });
    await ct.storage.locks.acquire(key, { owner: 'nightly (Anna Admin)', jobId: 'personen', jobName: 'Personen abgleichen' });
    // Nobody at a terminal and no --yes: nothing is broken.
    const unasked = await w.cli(['unlock', 'personen']);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain('--yes');
    expect(await ct.storage.locks.current(key)).not.toBeNull();
    const refusedRun = await w.cli(['run', 'personen', '--break-lock']);
    expect(refusedRun.code).toBe(2);
    expect(await ct.storage.locks.current(key)).not.toBeNull();
    // Answered "no" at the terminal: the lock stays.
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, env: w.env, churchToolsHttp: FAST_HTTP };
    expect(await main(['unlock', 'personen'], { ...io, ask: async () => 'no' })).toBe(2);
    expect(await ct.storage.locks.current(key)).not.toBeNull();
    expect(await main(['unlock', 'personen'], { ...io, ask: async () => 'yes' })).toBe(0);
    expect(stderr).toContain('Broke the run lock of "Personen abgleichen" (1 claim(s) removed)');
    expect(await ct.storage.locks.claims(key)).toEqual([]);
    expect(stdout).toBe('');

    await ct.storage.locks.acquire(key, { owner: 'nightly (Anna Admin)', jobId: 'personen', jobName: 'Personen abgleichen' });
    const run = await w.cli(['run', 'personen', '--break-lock', '--yes', '--json']);
    // It ran: the demo's namesakes still wait for a decision (exit 1), nothing else stopped it.
    expect(run.code, run.stderr).toBe(1);
    expect(report(run.stdout).outcome).toBe('possibleDuplicates');
    expect(await ct.storage.locks.claims(key)).toEqual([]);
  });

  it('exits 3 on a mass change without confirmation, and runs it with --confirm-mass-change', async () => {
    const base = demoDocument(w.bridge.url);
    const cleanUp = { ...base, connection: { ...base.connection, token: { stored: true as const } }, jobs: [{ id: 'aufraeumen', name: 'Aufräumen', domain: 'person' as const, actions: { archiveInOptigem: {} }, propertyPairKeys: [] }] };
    expect((await w.cli(['import', w.file('cleanup.json', cleanUp)])).code).toBe(0);
    // 30 linked people disappear from ChurchTools: far more than 10 % of the pairs
    const ct = await w.churchTools();
    const pairs = await ct.storage.pairs.load('optigem', 'person');
    // (single pairs: a couple record is never archived because one spouse is gone)
    for (const pair of pairs.filter((p) => p.sp === undefined).slice(0, 30)) w.standIn.state.persons.delete(Number(pair.ct));

    const simulated = await w.cli(['simulate', 'Aufräumen', '--json']);
    expect(simulated.code).toBe(5);
    expect(report(simulated.stdout)).toMatchObject({ exitCode: 5, outcome: 'needsConfirmation', plan: { massChange: { count: 30, requiresConfirmation: true } } });
    const plain = await w.cli(['simulate', 'Aufräumen']);
    expect(plain.code).toBe(5);
    expect(plain.stdout.split('\n')[0]).toBe('Simulation needs confirmation: "Aufräumen"');
    expect(plain.stdout).toContain('it needs --confirm-mass-change');

    const refused = await w.cli(['run', 'Aufräumen', '--json']);
    expect(refused.code).toBe(3);
    expect(report(refused.stdout)).toMatchObject({ outcome: 'massChange', execution: { status: 'refused', refusal: { key: 'refusal.massChange' }, counters: { optigem: { archive: 0 } } } });

    const confirmed = await w.cli(['run', 'Aufräumen', '--confirm-mass-change', '--json']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(report(confirmed.stdout).execution?.counters.optigem.archive).toBe(30);
  });

  it('says "Simulation incomplete" and exits 4 when Optigem cannot be read (a wrong bridge token)', async () => {
    const result = await w.cli(['simulate', 'personen', '--json', '--bridge-token', 'wrong']);
    expect(result.code).toBe(4);
    const json = report(result.stdout);
    expect(json).toMatchObject({ exitCode: 4, outcome: 'incomplete', execution: { status: 'incomplete', problems: [{ key: 'problem.readPart', args: { system: 'Optigem' } }, { key: 'error.bridgeUnauthorized' }] } });
    const plain = await w.cli(['simulate', 'personen', '--bridge-token', 'wrong']);
    expect(plain.code).toBe(4);
    expect(plain.stdout.split('\n')[0]).toBe('Simulation incomplete: "Personen abgleichen"');
    expect(plain.stdout).not.toMatch(/succeeded/);
    const german = await w.cli(['simulate', 'personen', '--bridge-token', 'wrong', '--lang', 'de']);
    expect(german.stdout.split('\n')[0]).toBe('Simulation unvollständig: „Personen abgleichen“');
    expect(german.stdout).toContain('Unvollständig: Optigem wurde nicht vollständig gelesen');
    expect(german.stdout).toContain('Die Optigem-Bridge hat das Token abgelehnt.');
    // The stored execution says so too, for the Sync module.
    const ct = await w.churchTools();
    expect((await ct.storage.executions.get(json.execution!.id))?.data.status).toBe('incomplete');
  });

  it('exits 2 for an unknown job, missing configuration and bad arguments', async () => {
    const unknown = await w.cli(['run', 'Nope']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown job "Nope"\. Jobs: .*"Personen abgleichen"/) });
    expect((await w.cli(['jobs'], { CT_TOKEN: undefined })).stderr).toContain('--token TOKEN or env CT_TOKEN');
    expect((await w.cli(['jobs'], { CT_TOKEN: 'wrong' })).code).toBe(2);
    expect((await w.cli(['jobs'], { CT_URL: undefined })).code).toBe(2);
    expect((await w.cli(['run'])).stderr).toContain('Missing <job>');
    expect((await w.cli(['run', 'personen', '--confirm'])).code).toBe(2);
    expect((await w.cli(['frobnicate'])).code).toBe(2);
    expect((await w.cli(['jobs', '--pace', 'fast'])).stderr).toContain('--pace / CT_PACE must be a whole number');
    expect((await w.cli(['jobs'], { CT_PACE: '0' })).code).toBe(2);

    // a connection without a stored token, and none given
    const base = demoDocument(w.bridge.url);
    const tokenless = {
      ...base,
      connection: { ...base.connection, id: 'ohne-token', name: 'Ohne Token', token: { stored: true as const } },
      jobs: [{ ...base.jobs[0]!, id: 'ohne', name: 'Ohne Token' }],
    };
    const imported = await w.cli(['import', w.file('tokenless.json', tokenless)]);
    expect(imported.stdout).toContain('No bridge token is stored');
    const missing = await w.cli(['simulate', 'ohne', '--json']);
    expect(missing.code).toBe(2);
    expect(report(missing.stdout)).toMatchObject({ outcome: 'invalidInput', error: { code: 'tokenMissing' } });
  });

  it('has help for every command', async () => {
    for (const command of ['jobs', 'simulate', 'run', 'export', 'import']) {
      const help = await w.cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: optigem-sync ${command}`);
    }
    expect((await w.cli(['--help'])).stdout).toContain('Exit codes: 0 success');
    expect((await w.cli(['help', 'run'])).stdout).toContain('--confirm-mass-change');
  });
});
