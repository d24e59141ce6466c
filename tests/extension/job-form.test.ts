// @vitest-environment happy-dom
// The job editor's form: exclusive actions are radio-like in the UI, and whatever is still
// invalid (validateJob) or missing is listed under the form.
import { describe, expect, it } from 'vitest';
import JobForm from '../../src/extension/components/JobForm.vue';
import { newJob } from '../../src/extension/stores/jobs.ts';
import type { Job, PropertyPair } from '../../src/sync/model.ts';
import { mountWithApp } from './ui-mount.ts';

const PAIRS: PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
];

function job(change: Partial<Job> = {}): Job {
  return { ...newJob('c1'), name: 'Mitglieder', propertyPairKeys: ['fn', 'ln'], ...change };
}

function mountForm(value: Job, blockers: { key: string; args?: Record<string, string> }[] = []) {
  return mountWithApp(JobForm, {
    props: {
      modelValue: value,
      connections: [{ id: 'c1', name: 'Optigem' }],
      propertyPairs: PAIRS,
      optionsFor: () => [],
      statusOptions: [{ id: '4', name: 'Optigem' }],
      departmentOptions: [{ id: '2', name: 'Optigem' }],
      categoryOptions: [{ id: '150', name: '150: Mitglieder' }],
      blockers,
    },
  });
}

function last(wrapper: ReturnType<typeof mountForm>): Job {
  const events = wrapper.emitted('update:modelValue') ?? [];
  return events[events.length - 1]![0] as Job;
}

describe('JobForm', () => {
  it('is not "ready" without property pairs: it says which are missing', async () => {
    const wrapper = mountForm(job({ actions: { link: { mode: 'newerWins' } }, propertyPairKeys: [] }));
    const status = wrapper.find('[data-test="job-status"]');
    expect(status.text()).not.toContain('Der Auftrag ist bereit');
    expect(status.text()).toContain('Es ist kein Eigenschaften-Paar gewählt');
    await wrapper.setProps({ propertyPairs: [] });
    expect(wrapper.find('[data-test="job-status"]').text()).toContain('Die Verbindung hat für diesen Bereich noch keine Eigenschaften-Paare');
  });

  it('lists what is missing for an empty job, and "ready" once valid', async () => {
    const wrapper = mountForm(job({ name: '', propertyPairKeys: [] }));
    const status = wrapper.find('[data-test="job-status"]');
    expect(status.findAll('li').map((li) => li.text())).toEqual(['Der Auftrag braucht einen Namen.', 'Bitte mindestens eine Aktion wählen.']);

    await wrapper.setProps({ modelValue: job({ actions: { link: { mode: 'newerWins' } } }) });
    expect(wrapper.find('[data-test="job-status"]').text()).toContain('Der Auftrag ist bereit.');
  });

  it('keeps update / import / export properties exclusive (radio-like)', async () => {
    const wrapper = mountForm(job({ actions: { updateProperties: { conflictProtection: true } } }));
    await wrapper.find('input[data-action="importProperties"]').setValue(true);
    expect(last(wrapper).actions).toEqual({ importProperties: { conflictProtection: true } });

    await wrapper.setProps({ modelValue: last(wrapper) });
    await wrapper.find('input[data-option="conflictProtection"]').setValue(false);
    expect(last(wrapper).actions).toEqual({ importProperties: { conflictProtection: false } });
    await wrapper.setProps({ modelValue: last(wrapper) });
    expect(wrapper.text()).toContain('Ohne Konfliktschutz können Änderungen verloren gehen');

    await wrapper.find('input[data-action="maintain-none"]').setValue(true);
    expect(last(wrapper).actions).toEqual({});
  });

  it('keeps archive and delete on one side exclusive', async () => {
    const wrapper = mountForm(job({ actions: { archiveInChurchTools: {} } }));
    await wrapper.find('input[data-action="churchtools-delete"]').setValue(true);
    expect(last(wrapper).actions).toEqual({ deleteInChurchTools: {} });
    await wrapper.setProps({ modelValue: last(wrapper) });
    await wrapper.find('input[data-action="optigem-archive"]').setValue(true);
    expect(last(wrapper).actions).toEqual({ deleteInChurchTools: {}, archiveInOptigem: {} });
  });

  it('shows the engine\'s validation for a stored job that combines exclusive actions', () => {
    const wrapper = mountForm(job({ actions: { updateProperties: { conflictProtection: true }, exportProperties: { conflictProtection: true } } }));
    expect(wrapper.find('[data-test="job-status"]').text()).toContain(
      'Diese Aktionen schließen einander aus: updateProperties, exportProperties.',
    );
  });

  it('sets creation defaults for imported people from ChurchTools master data', async () => {
    const wrapper = mountForm(job({ actions: {} }));
    await wrapper.find('input[data-action="import"]').setValue(true);
    await wrapper.setProps({ modelValue: last(wrapper) });
    const selects = wrapper.findAll('.os-actions__options select');
    await selects[0]!.setValue('4');
    await wrapper.setProps({ modelValue: last(wrapper) });
    await wrapper.findAll('.os-actions__options select')[1]!.setValue('2');
    expect(last(wrapper).actions.import).toEqual({ defaults: { statusId: '4', departmentIds: ['2'] } });
  });

  it('adds run blockers from outside (token, mappings, rights) to the status', () => {
    const wrapper = mountForm(job({ actions: { link: { mode: 'fillEmpty' } } }), [{ key: 'readiness.noToken', args: { connection: 'Optigem' } }]);
    expect(wrapper.find('[data-test="job-status"] li').text()).toBe('Für die Verbindung „Optigem“ ist kein Bridge-Token gespeichert.');
  });
});
