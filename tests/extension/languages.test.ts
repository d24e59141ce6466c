// @vitest-environment happy-dom
// One language at a time: every view, after a simulation and a run, in German and in English,
// shows no word of the other language and no untranslated key (issue 15 §2).
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { newJob, useJobsStore } from '../../src/extension/stores/jobs.ts';
import { useOptionsStore } from '../../src/extension/stores/options.ts';
import { usePropertyPairsStore } from '../../src/extension/stores/property-pairs.ts';
import { useRunsStore } from '../../src/extension/stores/runs.ts';
import ConnectionsView from '../../src/extension/views/ConnectionsView.vue';
import ConnectionView from '../../src/extension/views/ConnectionView.vue';
import ExecutionsView from '../../src/extension/views/ExecutionsView.vue';
import ExecutionView from '../../src/extension/views/ExecutionView.vue';
import JobEditorView from '../../src/extension/views/JobEditorView.vue';
import JobRunView from '../../src/extension/views/JobRunView.vue';
import JobsView from '../../src/extension/views/JobsView.vue';
import OverviewView from '../../src/extension/views/OverviewView.vue';
import PairsView from '../../src/extension/views/PairsView.vue';
import PersonCheckView from '../../src/extension/views/PersonCheckView.vue';
import PropertyPairsView from '../../src/extension/views/PropertyPairsView.vue';
import { foreignWords, otherLanguage, RAW_KEY } from './language-words.ts';
import { mountAt } from './ui-mount.ts';
import { createTwins } from './ui-twins.ts';

async function world() {
  const twins = createTwins();
  const connections = useConnectionsStore();
  const id = await connections.save({ name: 'Gemeinde', bridgeUrl: 'http://127.0.0.1:9/' });
  await connections.saveToken(id, 'secret-token-1234');
  await useOptionsStore().loadMeta(id);
  const pp = usePropertyPairsStore();
  await pp.open(id);
  await pp.addDefaults();
  pp.applyAllTo('stat');
  pp.applyAllTo('sex');
  pp.setFallback('stat', { kind: 'skip' });
  await pp.save();
  twins.ct.add({ id: '10', properties: { firstName: 'Anna', lastName: 'Müller', email: 'anna@example.org', birthday: null, city: 'Lindenhöhe', statusId: '1' } });
  twins.ct.add({ id: '12', properties: { firstName: 'Carla', lastName: 'Weber', email: null, birthday: null, city: 'Ort', statusId: '1' } });
  twins.og.add({ id: '500', properties: { Vorname: 'Anna', Nachname: 'Müller', EMail: 'anna@example.org', Geburtsdatum: null, Ort: 'Neustadt', Kategorien: ['150'] } });
  const job = {
    ...newJob(id),
    name: 'Mitglieder',
    actions: { link: { mode: 'newerWins' as const }, export: { defaults: { Kategorien: ['150'] } }, updateProperties: { conflictProtection: true } },
    conditions: { churchtools: [{ field: 'statusId', values: ['1'] }], optigem: [] },
    propertyPairKeys: ['fn', 'ln', 'em', 'bd', 'city', 'stat'],
  };
  await useJobsStore().save(job);
  const runs = useRunsStore();
  await runs.simulate(job.id);
  const run = await runs.run(job.id, { exact: false });
  return { twins, id, jobId: job.id, executionId: run?.execution.id ?? '' };
}

describe('every view in one language', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`shows only ${locale === 'de' ? 'German' : 'English'} and no raw keys`, async () => {
      const { twins, id, jobId, executionId } = await world();
      const views = [
        [OverviewView, '/'],
        [ConnectionsView, '/connections'],
        [ConnectionView, `/connections/${id}`],
        [PropertyPairsView, `/connections/${id}/properties`],
        [JobsView, '/jobs'],
        [JobEditorView, `/jobs/${jobId}`],
        [JobRunView, `/jobs/${jobId}/run`],
        [ExecutionsView, '/executions'],
        [ExecutionView, `/executions/${executionId}`],
        [PairsView, `/pairs?connection=${id}`],
        [PersonCheckView, `/person/10?connection=${id}`],
      ] as const;
      const found: string[] = [];
      for (const [view, path] of views) {
        const wrapper = await mountAt(view, path, twins, locale);
        await flushPromises();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await flushPromises();
        const text = wrapper.text();
        expect(text.length, path).toBeGreaterThan(20);
        for (const word of foreignWords(text, otherLanguage(locale))) found.push(`${path}: "${word}"`);
        const key = RAW_KEY.exec(text);
        if (key) found.push(`${path}: raw key ${key[0]}`);
        wrapper.unmount();
      }
      expect(found).toEqual([]);
    }, 60_000);
  }
});

describe('overview', () => {
  it('names the last real run and the last simulation; a newer simulation does not hide the run', async () => {
    const { twins, jobId } = await world();
    await useRunsStore().simulate(jobId);
    const wrapper = await mountAt(OverviewView, '/', twins);
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flushPromises();
    const cell = wrapper.find('[data-test="last-executions"]');
    expect(cell.find('[data-kind="run"]').text()).toMatch(/^Ausführung: /);
    expect(cell.find('[data-kind="simulation"]').text()).toMatch(/^Simulation: /);
  });
});
