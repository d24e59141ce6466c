// @vitest-environment happy-dom
// Job documents in the jobs view: an invalid file lists its problems by JSON path and writes
// nothing; a valid one is imported after a confirmation that says what will change.
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { JobDocumentInput } from '../../src/runner/job-document.ts';
import { useJobDocumentsStore } from '../../src/extension/stores/job-documents.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { useJobsStore } from '../../src/extension/stores/jobs.ts';
import JobsView from '../../src/extension/views/JobsView.vue';
import { PROPERTY_PAIRS } from '../sync/fixtures.ts';
import { createTwins } from './ui-twins.ts';
import { mountWithApp } from './ui-mount.ts';

const PAIRS = PROPERTY_PAIRS as JobDocumentInput['connection']['propertyPairs'];

function documentOf(): JobDocumentInput {
  return {
    format: 'optigem-sync/jobs',
    version: 1,
    connection: { id: 'conn-1', name: 'Optigem', bridgeUrl: 'https://bridge.example:8478', token: { stored: true }, propertyPairs: PAIRS },
    jobs: [
      {
        id: 'job-1',
        name: 'Personen',
        domain: 'person',
        actions: { link: { mode: 'newerWins' }, updateProperties: { conflictProtection: true } },
        conditions: { churchtools: [], optigem: [{ field: 'Kategorien', values: ['150'] }] },
        propertyPairKeys: ['fn', 'ln', 'em'],
        autoRun: true,
      },
    ],
  };
}

async function chooseFile(wrapper: VueWrapper, content: string): Promise<void> {
  const input = wrapper.find('[data-test="import-file"]');
  const file = new File([content], 'jobs.json', { type: 'application/json' });
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
}

async function settle(check: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises();
    check();
  });
}

describe('jobs view: job documents', () => {
  it('lists every problem of an invalid document with its JSON path and writes nothing', async () => {
    const twins = createTwins();
    const wrapper = mountWithApp(JobsView, {}, twins);
    const broken = documentOf() as unknown as { connection: Record<string, unknown>; jobs: Record<string, unknown>[] };
    broken.connection['bridgeUrl'] = 'not a url';
    broken.jobs[0]!['propertyPairKeys'] = ['fn', 'nope'];
    broken.jobs[0]!['autorun'] = true;
    await chooseFile(wrapper, JSON.stringify(broken));
    await settle(() => expect(wrapper.find('[data-test="import-problems"]').exists()).toBe(true));

    const list = wrapper.find('[data-test="import-problems"] ul');
    const labelledBy = list.attributes('aria-labelledby');
    expect(labelledBy && wrapper.find(`[id="${labelledBy}"]`).text()).toContain('nicht importiert');
    const paths = list.findAll('li code').map((code) => code.text());
    expect(paths).toEqual(expect.arrayContaining(['$.connection.bridgeUrl', '$.jobs[0].autorun']));
    expect(paths.some((path) => path.startsWith('$.jobs[0].propertyPairKeys'))).toBe(true);
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect((await twins.storage.connections.list()).items).toEqual([]);
    expect((await twins.storage.jobs.list()).items).toEqual([]);
  });

  it('reports a file that is not JSON at $', async () => {
    const twins = createTwins();
    const wrapper = mountWithApp(JobsView, {}, twins);
    await chooseFile(wrapper, '{ nope');
    await settle(() => expect(wrapper.findAll('[data-test="import-problems"] li code').map((c) => c.text())).toEqual(['$']));
    // In the admin's language; the parser's English words only behind "Technische Details".
    const item = wrapper.find('[data-test="import-problems"] li');
    expect(item.text()).toContain('Die Datei ist kein gültiges JSON');
    expect(item.find('summary').text()).toBe('Technische Details');
    expect(item.find('details').text()).toContain('not valid JSON');
  });

  it('imports a valid document after the confirmation and reloads the stores', async () => {
    const twins = createTwins();
    const wrapper = mountWithApp(JobsView, {}, twins);
    await chooseFile(wrapper, JSON.stringify(documentOf()));
    await settle(() => expect(wrapper.find('[role="dialog"]').exists()).toBe(true));

    const dialog = wrapper.find('[role="dialog"]');
    expect(dialog.text()).toContain('Die Verbindung „Optigem“ wird neu angelegt.');
    expect(dialog.text()).toContain('Neu angelegt werden: Personen. Aktualisiert werden: keine.');
    // Nothing is written before the admin confirms.
    expect((await twins.storage.jobs.list()).items).toEqual([]);

    const confirm = dialog.findAll('button').find((button) => button.text() === 'Importieren');
    await confirm!.trigger('click');
    await settle(() => expect(wrapper.find('[data-test="import-done"]').exists()).toBe(true));

    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect((await twins.storage.jobs.list()).items.map((item) => item.data.name)).toEqual(['Personen']);
    expect(useConnectionsStore().list.map((c) => c.name)).toEqual(['Optigem']);
    expect(useJobsStore().list.map((j) => j.id)).toEqual(['job-1']);
    expect(wrapper.findAll('[data-test="job-row"]').map((row) => row.find('th').text())).toEqual(['Personen']);
  });

  it('writes nothing when the confirmation is cancelled', async () => {
    const twins = createTwins();
    const wrapper = mountWithApp(JobsView, {}, twins);
    await chooseFile(wrapper, JSON.stringify(documentOf()));
    await settle(() => expect(wrapper.find('[role="dialog"]').exists()).toBe(true));
    await wrapper.find('[role="dialog"]').findAll('button').find((button) => button.text() === 'Abbrechen')!.trigger('click');
    await flushPromises();
    expect((await twins.storage.connections.list()).items).toEqual([]);
  });

  it('exports the connection with its jobs, the token only by reference', async () => {
    const twins = createTwins();
    const connections = useConnectionsStore();
    const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
    await connections.saveToken(id, 'secret-token-1234');
    const { text } = await useJobDocumentsStore().exportText(id);
    expect(text).not.toContain('secret-token-1234');
    expect(JSON.parse(text)).toMatchObject({ format: 'optigem-sync/jobs', connection: { id, name: 'Optigem', token: { stored: true } }, jobs: [] });
  });
});
