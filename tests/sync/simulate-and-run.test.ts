import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import type { Pair } from '../../src/sync/model.ts';
import { validateJob } from '../../src/sync/validate.ts';
import { PROPERTY_PAIRS, STATUS, ctPerson, job, ogPerson, world } from './fixtures.ts';

const everything = job({
  link: { mode: 'newerWins' },
  import: { defaults: { statusId: STATUS.optigem } },
  export: { defaults: {} },
  updateProperties: { conflictProtection: true },
  archiveInChurchTools: {},
  deleteInOptigem: {},
});

function seed(w: ReturnType<typeof world>) {
  w.og.add({ properties: ogPerson('Anna', 'Schmidt', { Ort: 'Köln' }) });
  w.clock.advance();
  w.ct.add({ properties: ctPerson('Anna', 'Schmidt', { email: 'anna@example.org' }) });
  w.ct.add({ properties: ctPerson('Paul', 'Groß', { statusId: STATUS.member }) });
  w.og.add({ properties: ogPerson('Clara', 'Weiß', { Kategorien: ['150'] }) });
  w.clock.advance();
}

describe('simulate and run', () => {
  it('simulation writes nothing and saves no pairs', async () => {
    const w = world();
    seed(w);
    const outcome = await simulate(everything, w.context);
    expect(outcome.execution.dryRun).toBe(true);
    expect(outcome.execution.counters.both.link).toBe(1);
    expect(w.ct.writes).toEqual([]);
    expect(w.og.writes).toEqual([]);
    expect(w.pairs.saves).toBe(0);
  });

  it('a run executes exactly the simulated plan', async () => {
    const w = world();
    seed(w);
    const simulated = await simulate(everything, w.context);
    const ran = await run(everything, w.context, { expectedDigest: simulated.plan?.digest ?? '' });
    expect(ran.plan?.digest).toBe(simulated.plan?.digest);
    expect(ran.execution.counters).toEqual(simulated.execution.counters);
    expect(ran.entries.map((e) => [e.seq, e.type, e.state])).toEqual(simulated.entries.map((e) => [e.seq, e.type, 'done']));
  });

  it('"run exactly this" refuses when the data changed since the simulation', async () => {
    const w = world();
    seed(w);
    const simulated = await simulate(everything, w.context);
    w.og.add({ properties: ogPerson('Neu', 'Hinzu') });
    const ran = await run(everything, w.context, { expectedDigest: simulated.plan?.digest ?? '' });
    expect(ran.execution.status).toBe('refused');
    expect(ran.execution.refusal?.key).toBe('refusal.planChanged');
    expect(w.ct.writes).toEqual([]);
  });

  it('journals each write as pending before it and done after it', async () => {
    const w = world();
    seed(w);
    await run(everything, w.context);
    const create = w.sink.entries.filter((e) => e.type === 'create');
    expect(create.map((e) => e.state)).toEqual(['pending', 'done', 'pending', 'done']);
    expect(w.sink.progresses.at(-1)).toMatchObject({ done: w.sink.progresses.length, total: w.sink.progresses.length });
  });

  it('counts what happened per system and operation', async () => {
    const w = world();
    seed(w);
    const outcome = await run(everything, w.context);
    expect(outcome.execution.counters.both.link).toBe(1);
    expect(outcome.execution.counters.churchtools.create).toBe(1);
    expect(outcome.execution.counters.optigem.create).toBe(1);
    expect(outcome.execution.status).toBe('succeeded');
  });

  it('a second run changes nothing', async () => {
    const w = world();
    seed(w);
    await run(everything, w.context);
    const second = await simulate(everything, w.context);
    expect(second.plan?.operations).toEqual([]);
  });

  it('continues with independent operations after a failure and reports the failed record', async () => {
    const w = world();
    w.og.add({ id: '10', properties: ogPerson('Eins', 'Person') });
    w.og.add({ id: '11', properties: ogPerson('Zwei', 'Person') });
    let calls = 0;
    const create = w.ct.create.bind(w.ct);
    w.ct.create = async (...args) => {
      if (++calls === 1) throw new Error('HTTP 500');
      return create(...args);
    };
    const outcome = await run(job({ import: { defaults: {} } }), w.context);
    expect(outcome.execution.status).toBe('finishedWithErrors');
    expect(outcome.execution.errorCount).toBe(1);
    const failed = outcome.entries.find((e) => e.state === 'failed');
    expect(failed).toMatchObject({ ogId: '10', label: 'Person, Eins', level: 'error', error: { key: 'error.unexpected', args: { detail: 'HTTP 500' } } });
    expect(outcome.execution.counters.churchtools.create).toBe(1);
  });

  it('a run that died between creating people and saving pairs can be re-run: no duplicates, no lost links', async () => {
    const w = world();
    seed(w);
    const save = w.pairs.save.bind(w.pairs);
    w.pairs.save = async () => {
      throw new Error('browser tab closed');
    };
    await expect(run(everything, w.context, { flushEvery: 1000 })).rejects.toThrow('browser tab closed');
    expect(await w.pairs.load('conn-1', 'person')).toEqual([]);
    const people = { ct: w.ct.records.size, og: w.og.records.size };

    w.pairs.save = save;
    const rerun = await run(everything, w.context);
    expect({ ct: w.ct.records.size, og: w.og.records.size }).toEqual(people);
    expect(rerun.entries.filter((e) => e.action === 'restore').length).toBeGreaterThanOrEqual(2);
    const pairs = await w.pairs.load('conn-1', 'person');
    expect(pairs).toHaveLength(3);
    expect((await simulate(everything, w.context)).plan?.operations).toEqual([]);
  });

  it('does not restore a link when the stored Optigem number points to a different person', async () => {
    const w = world();
    w.ct.add({ properties: ctPerson('Anna', 'Schmidt'), partnerHint: '77' });
    w.og.add({ id: '77', properties: ogPerson('Bernd', 'Bauer') });
    const outcome = await simulate(job({ link: { mode: 'newerWins' } }), w.context);
    expect(outcome.plan?.operations).toEqual([]);
    expect(outcome.entries[0]?.message.key).toBe('log.restore.mismatch');
  });

  it('cancelling stops before the next operation and still saves the pairs made so far', async () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.og.add({ properties: ogPerson(`P${i}`, 'Neu') });
    const signal = { aborted: false };
    w.context = { ...w.context, sink: { entry: (e) => { if (e.state === 'done') signal.aborted = true; }, progress: () => undefined } };
    const outcome = await run(job({ import: { defaults: {} } }), w.context, { signal });
    expect(outcome.execution.status).toBe('cancelled');
    expect(w.ct.records.size).toBe(1);
    expect((await w.pairs.load('conn-1', 'person')) as Pair[]).toHaveLength(1);
  });
});

describe('job validation', () => {
  // "4, 5, 6 exclude each other; archive and delete on the same side exclude each other."
  it('rejects update, import and export properties together', () => {
    const issues = validateJob(job({ updateProperties: { conflictProtection: true }, importProperties: { conflictProtection: true } }), PROPERTY_PAIRS);
    expect(issues).toContainEqual({ path: 'actions.importProperties', message: { key: 'validation.exclusiveActions', args: { actions: 'updateProperties, importProperties' } } });
  });

  it('rejects archive and delete on the same side', () => {
    expect(validateJob(job({ archiveInOptigem: {}, deleteInOptigem: {} }), PROPERTY_PAIRS)).toHaveLength(1);
    expect(validateJob(job({ archiveInChurchTools: {}, deleteInOptigem: {} }), PROPERTY_PAIRS)).toEqual([]);
  });

  it('refuses to run an invalid job and names the problem', async () => {
    const w = world();
    w.og.add({ properties: ogPerson('Clara', 'Weiß') });
    const outcome = await run(job({ archiveInChurchTools: {}, deleteInChurchTools: {} }), w.context);
    expect(outcome.execution.status).toBe('refused');
    expect(outcome.execution.refusal?.key).toBe('validation.exclusiveActions');
  });

  it('rejects a job without actions, an unknown property pair, and a condition row without values', () => {
    const issues = validateJob(job({}, { keys: ['zz'], ct: [{ field: 'statusId', values: [] }] }), PROPERTY_PAIRS);
    expect(issues.map((issue) => issue.message.key)).toEqual(['validation.noAction', 'validation.unknownPropertyPair', 'validation.conditionValues']);
  });

  it('rejects archive actions on transaction jobs', () => {
    const issues = validateJob({ ...job({ archiveInOptigem: {} }, { keys: [] }), domain: 'transaction' }, PROPERTY_PAIRS);
    expect(issues.map((issue) => issue.message.key)).toContain('validation.actionNotForTransactions');
  });
});
