// The person panel's "Verlauf" belongs to the records, not to the pair slot: after unlinking and
// relinking, a person shows what happened to it and to its partner as a record, never another
// person's creation (issue #15 §4). Real stores, real runner and engine, in-memory systems.
import { describe, expect, it } from 'vitest';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { newJob, useJobsStore } from '../../src/extension/stores/jobs.ts';
import { useOptionsStore } from '../../src/extension/stores/options.ts';
import { usePairsStore } from '../../src/extension/stores/pairs.ts';
import { isAboutRecords, usePersonStore } from '../../src/extension/stores/person.ts';
import { usePropertyPairsStore } from '../../src/extension/stores/property-pairs.ts';
import { useRunsStore } from '../../src/extension/stores/runs.ts';
import type { Job } from '../../src/sync/model.ts';
import { createTwins } from './ui-twins.ts';

async function connection(): Promise<string> {
  const connections = useConnectionsStore();
  const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
  await connections.saveToken(id, 'secret-token-1234');
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

describe('history per record after unlink and relink', () => {
  it('shows a person no entry about the creation of the Optigem record another person was linked with', async () => {
    const twins = createTwins();
    const id = await connection();
    twins.ct.add({ id: '10', properties: { firstName: 'Anna', lastName: 'Müller', email: 'anna@example.org', birthday: null, city: 'Lindenhöhe', statusId: '1' } });
    twins.ct.add({ id: '11', properties: { firstName: 'Bernd', lastName: 'Schulz', email: 'bernd@example.org', birthday: null, city: 'Ort', statusId: '1' } });
    const job: Job = {
      ...newJob(id),
      name: 'Nach Optigem',
      actions: { export: { defaults: {} } },
      conditions: { churchtools: [{ field: 'statusId', values: ['1'] }], optigem: [] },
      propertyPairKeys: ['fn', 'ln', 'em', 'city', 'stat'],
    };
    await useJobsStore().save(job);
    const run = await useRunsStore().run(job.id);
    expect(run?.execution.counters.optigem.create).toBe(2);

    const pairs = usePairsStore();
    await pairs.load(id, true);
    const x = pairs.pairOf(id, 'churchtools', '10')!.og; // created from Anna
    const y = pairs.pairOf(id, 'churchtools', '11')!.og; // created from Bernd
    await pairs.unlink(id, '10', x);
    await pairs.unlink(id, '11', y);
    await pairs.link(id, '10', y);
    await pairs.link(id, '11', x);

    const person = usePersonStore();
    await person.loadHistory(id, '10', y);
    const anna = person.history.map((h) => h.entry);
    expect(anna.filter((e) => e.type === 'create').map((e) => [e.ctId, e.ogId])).toEqual([['10', x]]);
    expect(anna.filter((e) => e.ctId === '11')).toEqual([]);

    await person.loadHistory(id, '11', x);
    const bernd = person.history.map((h) => h.entry);
    expect(bernd.filter((e) => e.type === 'create').map((e) => [e.ctId, e.ogId])).toEqual([['11', y]]);
    expect(bernd.filter((e) => e.ctId === '10')).toEqual([]);
  });

  it('keeps entries about the partner alone and, for a couple record, those naming the other spouse', () => {
    const anna = { ctId: '10', ogId: '500' };
    expect(isAboutRecords({ ctId: '10', ogId: '499' }, anna)).toBe(true);
    expect(isAboutRecords({ ctId: null, ogId: '500' }, anna)).toBe(true);
    expect(isAboutRecords({ ctId: '11', ogId: '500' }, anna)).toBe(false);
    expect(isAboutRecords({ ctId: '11', ogId: '501' }, anna)).toBe(false);
    expect(isAboutRecords({ ctId: '11', ogId: '500' }, { ...anna, spouse: '11' })).toBe(true);
    expect(isAboutRecords({ ctId: '11', ogId: '501' }, { ...anna, spouse: '11' })).toBe(false);
    expect(isAboutRecords({ ctId: null, ogId: '500' }, { ctId: '10', ogId: null })).toBe(false);
  });
});
