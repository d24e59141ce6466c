// @vitest-environment happy-dom
// Issue 14 §1 in the Sync module: a simulation shows possible duplicates as needing a decision,
// each with its namesakes side by side; "Mit diesem verknüpfen" / "Trotzdem anlegen" store the
// decision, and the next simulation follows it.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import PossibleDuplicates from '../../src/extension/components/PossibleDuplicates.vue';
import { newJob } from '../../src/extension/stores/jobs.ts';
import { useRunsStore } from '../../src/extension/stores/runs.ts';
import JobRunView from '../../src/extension/views/JobRunView.vue';
import type { PossibleDuplicate } from '../../src/sync/duplicates.ts';
import { createTwins, type Twins } from './ui-twins.ts';
import { mountAt, mountWithApp } from './ui-mount.ts';

async function emmaBauer(): Promise<{ twins: Twins; connectionId: string; jobId: string }> {
  const twins = createTwins();
  const connectionId = 'optigem';
  const propertyPairs = [
    { key: 'fn', domain: 'person' as const, churchtools: 'firstName', optigem: 'Vorname' },
    { key: 'ln', domain: 'person' as const, churchtools: 'lastName', optigem: 'Nachname' },
  ];
  await twins.storage.connections.save({ id: connectionId, name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9', propertyPairs }, null);
  await twins.storage.secrets.setToken(connectionId, 'secret-token-1234');
  twins.ct.add({ id: '89', properties: { firstName: 'Emma', lastName: 'Bauer', email: 'emma.bauer@example.org', birthday: '1945-07-07', statusId: '1' } });
  twins.ct.add({ id: '90', properties: { firstName: 'Emma', lastName: 'Bauer', email: 'emma@example.net', birthday: '1990-01-01', statusId: '3' } });
  twins.og.add({ id: '1054', properties: { Vorname: 'Emma', Nachname: 'Bauer', EMail: 'emma.bauer@alt-example.de', Geburtsdatum: '1945-07-07', Kategorien: ['150'] } });
  const job = { ...newJob(connectionId), name: 'Mitglieder', actions: { import: { defaults: {} } }, propertyPairKeys: ['fn', 'ln'] };
  await twins.storage.jobs.save(job, null);
  return { twins, connectionId, jobId: job.id };
}

describe('possible duplicates in the run view', () => {
  it('shows Emma Bauer beside her two namesakes, stores "Mit diesem verknüpfen", and the next simulation links instead of creating', async () => {
    const { twins, connectionId, jobId } = await emmaBauer();
    const wrapper = await mountAt(JobRunView, `/jobs/${jobId}/run`, twins);
    await flushPromises();
    await wrapper.find('[data-test="simulate"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="possible-duplicates"]').exists()).toBe(true), { timeout: 5000 });

    const section = wrapper.find('[data-test="possible-duplicates"]');
    expect(section.find('h4').text()).toBe('Mögliche Doppelungen – brauchen eine Entscheidung (1)');
    expect(section.findAll('thead th').map((th) => th.text())).toEqual(['Anzulegen aus Optigem', 'Gleichnamig in ChurchTools', 'Gleichnamig in ChurchTools']);
    const row = (name: string) => section.find(`tr[data-row="${name}"]`).findAll('td').map((td) => td.text());
    expect(row('name')).toEqual(['Bauer, Emma', 'Bauer, Emma', 'Bauer, Emma']);
    expect(row('birthday')).toEqual(['07.07.1945', '07.07.1945', '01.01.1990']);
    expect(row('email')).toEqual(['emma.bauer@alt-example.de', 'emma.bauer@example.org', 'emma@example.net']);
    expect(row('id')).toEqual(['Optigem 1054', 'ChurchTools 89', 'ChurchTools 90']);
    expect(section.findAll('[data-test="link-candidate"]').map((b) => b.text())).toEqual(['Mit diesem verknüpfen', 'Mit diesem verknüpfen']);
    expect(section.find('[data-test="create-anyway"]').text()).toBe('Trotzdem anlegen');
    expect(twins.ct.writes).toEqual([]);
    expect(wrapper.find('[aria-label="Braucht eine Entscheidung"]').text()).toContain('oben unter „Mögliche Doppelungen“ entscheiden');
    expect(wrapper.find('[data-test="possible-duplicate-count"]').text()).toBe('Mögliche Doppelungen (nicht angelegt): 1');

    await section.find('[data-test="link-candidate"][data-candidate="89"]').trigger('click');
    await flushPromises();
    expect(await twins.storage.decisions.load(connectionId, 'person')).toMatchObject([{ source: 'optigem', sourceId: '1054', kind: 'link', candidateId: '89', decidedBy: 'test:Admin:0001' }]);
    expect(wrapper.find('[data-test="decided"]').text()).toBe('Entschieden: mit ChurchTools 89 verknüpfen. Wird bei der nächsten Simulation übernommen.');

    await wrapper.find('[data-test="resimulate"]').trigger('click');
    await vi.waitFor(() => expect(useRunsStore().simulations[jobId]?.plan?.possibleDuplicates).toEqual([]), { timeout: 5000 });
    await flushPromises();
    expect(useRunsStore().simulations[jobId]?.plan?.operations).toMatchObject([{ op: 'link', ct: '89', og: '1054' }]);
    expect(wrapper.find('[data-test="possible-duplicates"]').exists()).toBe(false);
  });
});

describe('PossibleDuplicates', () => {
  const item: PossibleDuplicate = {
    seq: 1,
    action: 'export',
    basis: '0a1b2c3d',
    record: { system: 'churchtools', id: '7', label: 'Weber, Karl', firstName: 'Karl', lastName: 'Weber', email: null, birthday: '1970-01-01', address: 'Hauptstraße 1, 70173, Stuttgart', archived: false, paired: false },
    candidates: [
      { system: 'optigem', id: '300', label: 'Weber, Karl', firstName: 'Karl', lastName: 'Weber', email: null, birthday: '1999-09-09', address: null, archived: true, paired: true, reasons: [] },
    ],
    outdated: { decision: { source: 'churchtools', sourceId: '7', kind: 'link', candidateId: '300', basis: 'ffffffff' }, reason: 'candidatePaired' },
  };

  it('says why an earlier decision is not followed, offers no link to a person linked elsewhere, and stores "Trotzdem anlegen"', async () => {
    const twins = createTwins();
    const wrapper = mountWithApp(PossibleDuplicates, { props: { connectionId: 'c1', items: [item] } }, twins);
    expect(wrapper.find('[data-test="outdated"]').text()).toContain('inzwischen mit jemand anderem verknüpft');
    expect(wrapper.find('tr[data-row="state"]').findAll('td').map((td) => td.text())).toEqual(['–', 'archiviert, schon mit jemand anderem verknüpft']);
    expect(wrapper.find('tr[data-row="address"]').findAll('td').map((td) => td.text())).toEqual(['Hauptstraße 1, 70173, Stuttgart', '–']);
    expect(wrapper.find('[data-test="link-candidate"]').attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="create-anyway"]').trigger('click');
    await flushPromises();
    expect(await twins.storage.decisions.load('c1', 'person')).toMatchObject([{ source: 'churchtools', sourceId: '7', kind: 'create', basis: '0a1b2c3d' }]);
    expect(wrapper.find('[data-test="decided"]').text()).toBe('Entschieden: trotzdem anlegen. Wird bei der nächsten Simulation übernommen.');
    expect(wrapper.emitted('resimulate')).toBeUndefined();
    await wrapper.find('[data-test="resimulate"]').trigger('click');
    expect(wrapper.emitted('resimulate')).toHaveLength(1);
  });

  it('speaks English too', async () => {
    const twins = createTwins();
    const { createSyncI18n } = await import('../../src/extension/i18n/index.ts');
    const wrapper = mountWithApp(PossibleDuplicates, { props: { connectionId: 'c1', items: [item] }, global: { plugins: [createSyncI18n('en'), twins.pinia] } });
    expect(wrapper.find('h4').text()).toBe('Possible duplicates – need a decision (1)');
    expect(wrapper.find('[data-test="create-anyway"]').text()).toBe('Create anyway');
    expect(wrapper.find('[data-test="link-candidate"]').text()).toBe('Link with this one');
  });
});
