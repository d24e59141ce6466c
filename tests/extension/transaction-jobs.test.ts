// @vitest-environment happy-dom
// Transaction (booking) jobs in the UI: the job editor's domain, fiscal year, actions and
// conditions (yes/no, date ranges, numbers typed by hand), the property pairs page's booking
// pairs, the option lists per fiscal year, and what is stored.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { connectionSchema, jobSchema } from '../../src/churchtools/kv/schemas.ts';
import ConditionEditor from '../../src/extension/components/ConditionEditor.vue';
import JobForm from '../../src/extension/components/JobForm.vue';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { newJob, useJobsStore, withDomain } from '../../src/extension/stores/jobs.ts';
import { useOptionsStore } from '../../src/extension/stores/options.ts';
import { usePermissionsStore } from '../../src/extension/stores/permissions.ts';
import { usePropertyPairsStore } from '../../src/extension/stores/property-pairs.ts';
import JobEditorView from '../../src/extension/views/JobEditorView.vue';
import JobsView from '../../src/extension/views/JobsView.vue';
import PropertyPairsView from '../../src/extension/views/PropertyPairsView.vue';
import type { Conditions, Job, PropertyPair, SystemId } from '../../src/sync/model.ts';
import { DEFAULT_TRANSACTION_PROPERTY_PAIRS } from '../../src/sync/transaction-fields.ts';
import { validateJob } from '../../src/sync/validate.ts';
import { createTwins } from './ui-twins.ts';
import { mountAt, mountWithApp } from './ui-mount.ts';

const TOKEN = 'secret-token-1234';
const PERSON_PAIRS: PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
];
const PAIRS: PropertyPair[] = [...PERSON_PAIRS, ...DEFAULT_TRANSACTION_PROPERTY_PAIRS];
const YEAR = String(new Date().getFullYear());

async function settle(check: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises();
    check();
  });
}

describe('stored documents', () => {
  const transactionJob: Job = {
    ...newJob('c1', 'transaction'),
    name: 'Spenden',
    scope: { fiscalYear: '2026', clientId: '1' },
    actions: { link: { mode: 'fillEmpty' }, deleteInOptigem: {} },
    conditions: {
      churchtools: [{ field: 'documentDate', values: [], range: { from: '2026-01-01', to: null } }],
      optigem: [{ field: 'isDonation', values: ['true'] }],
    },
    propertyPairKeys: ['td', 'ta'],
  };

  it('accept transaction jobs (scope, range rows) and booking pairs (donor role, many-to-one)', () => {
    expect(jobSchema.parse(transactionJob)).toEqual(transactionJob);
    const pairs: PropertyPair[] = [
      ...DEFAULT_TRANSACTION_PROPERTY_PAIRS,
      { key: 'tx', domain: 'transaction', churchtools: 'costCenter', optigem: 'project', mapping: { entries: [], fallback: { kind: 'skip' }, manyToOne: true } },
    ];
    const connection = { id: 'c1', name: 'Optigem', bridgeUrl: 'https://bridge', propertyPairs: pairs };
    expect(connectionSchema.parse(connection)).toEqual(connection);
    expect(connectionSchema.safeParse({ ...connection, propertyPairs: [{ ...pairs[0], role: 'spouse' }] }).success).toBe(false);
    expect(jobSchema.safeParse({ ...transactionJob, conditions: { churchtools: [{ field: 'documentDate', values: [], range: { from: 20260101 } }], optigem: [] } }).success).toBe(false);
  });

  it('still read documents written before bookings existed', () => {
    const oldJob = {
      id: 'j1',
      name: 'Mitglieder',
      connectionId: 'c1',
      domain: 'person',
      actions: { link: { mode: 'newerWins' }, import: { defaults: { statusId: '4' } }, archiveInOptigem: {} },
      conditions: { churchtools: [{ field: 'statusId', values: ['1'] }], optigem: [] },
      propertyPairKeys: ['fn'],
      autoRun: true,
    };
    expect(jobSchema.parse(oldJob)).toEqual(oldJob);
    const oldConnection = {
      id: 'c1',
      name: 'Optigem',
      bridgeUrl: 'http://bridge',
      propertyPairs: [{ key: 'st', domain: 'person', churchtools: 'statusId', optigem: 'Kategorien', mapping: { entries: [{ churchtools: '1', optigem: '150' }], fallback: { kind: 'block' } } }],
    };
    expect(connectionSchema.parse(oldConnection)).toEqual(oldConnection);
  });
});

describe('switching a job\'s domain', () => {
  it('keeps the actions bookings also have, drops archive and creation defaults, clears conditions and pairs, sets the fiscal year', () => {
    const person: Job = {
      ...newJob('c1'),
      name: 'Alles',
      actions: { link: { mode: 'fillEmpty' }, import: { defaults: { statusId: '4' } }, exportProperties: { conflictProtection: false }, archiveInChurchTools: {}, deleteInOptigem: {} },
      conditions: { churchtools: [{ field: 'statusId', values: ['1'] }], optigem: [] },
      propertyPairKeys: ['fn', 'ln'],
    };
    const booking = withDomain(person, 'transaction', new Date('2027-03-01T12:00:00Z'));
    expect(booking).toEqual({
      ...person,
      domain: 'transaction',
      actions: { link: { mode: 'fillEmpty' }, import: { defaults: {} }, exportProperties: { conflictProtection: false }, deleteInOptigem: {} },
      conditions: { churchtools: [], optigem: [] },
      propertyPairKeys: [],
      scope: { fiscalYear: '2027' },
    });
    const back = withDomain(booking, 'person');
    expect(back.scope).toBeUndefined();
    expect(back.domain).toBe('person');
    expect(withDomain(back, 'person')).toBe(back);
  });
});

describe('JobForm for bookings', () => {
  function mountForm(value: Job, extra: Record<string, unknown> = {}) {
    return mountWithApp(JobForm, {
      props: {
        modelValue: value,
        connections: [{ id: 'c1', name: 'Optigem' }],
        propertyPairs: PAIRS,
        optionsFor: () => [],
        statusOptions: [{ id: '4', name: 'Optigem' }],
        departmentOptions: [],
        categoryOptions: [],
        blockers: [],
        ...extra,
      },
    });
  }

  /** Plays v-model: each change comes back as the new value. */
  async function follow(wrapper: ReturnType<typeof mountForm>): Promise<Job> {
    const events = wrapper.emitted('update:modelValue') ?? [];
    const job = events[events.length - 1]![0] as Job;
    await wrapper.setProps({ modelValue: job });
    return job;
  }

  it('creates a booking job: domain, fiscal year, actions, the usual pairs and a date range, which validateJob accepts', async () => {
    const wrapper = mountForm({ ...newJob('c1'), name: 'Spenden' });
    expect(wrapper.find('[data-test="fiscal-year"]').exists()).toBe(false);
    const domain = wrapper.findAll('select')[1]!;
    expect(domain.findAll('option').map((o) => [o.text(), o.attributes('disabled')])).toEqual([
      ['Personen', undefined],
      ['Buchungen', undefined],
    ]);
    await domain.setValue('transaction');
    let job = await follow(wrapper);
    expect(job).toMatchObject({ domain: 'transaction', scope: { fiscalYear: YEAR } });

    const year = wrapper.find('[data-test="fiscal-year"]');
    expect((year.element as HTMLInputElement).value).toBe(YEAR);
    await year.setValue('2026');
    job = await follow(wrapper);
    expect(job.scope).toEqual({ fiscalYear: '2026' });

    // Actions speak of bookings; no archive; import has no creation defaults.
    const text = wrapper.find('.os-actions').text();
    expect(text).toContain('Buchungen verknüpfen & Eigenschaften vereinheitlichen');
    expect(text).toContain('Buchungen importieren');
    expect(text).not.toContain('Personen');
    expect(text).not.toContain('rchivieren');
    expect(wrapper.find('input[data-action="churchtools-archive"]').exists()).toBe(false);
    await wrapper.find('input[data-action="link"]').setValue(true);
    job = await follow(wrapper);
    await wrapper.find('input[data-action="import"]').setValue(true);
    job = await follow(wrapper);
    expect(wrapper.find('.os-actions__options select').exists()).toBe(false);
    await wrapper.find('input[data-action="churchtools-delete"]').setValue(true);
    job = await follow(wrapper);
    expect(job.actions).toEqual({ link: { mode: 'newerWins' }, import: { defaults: {} }, deleteInChurchTools: {} });

    // Only the booking pairs are offered.
    expect(wrapper.findAll('input[data-pair]').map((box) => box.attributes('data-pair'))).toEqual(DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((p) => p.key));
    expect(wrapper.find('.os-job-form__pairs').text()).toContain('Konto (bei Einnahmen: Bank/Kasse) ↔ Soll-Konto');
    await wrapper.findAll('button').find((b) => b.text() === 'Alle wählen')!.trigger('click');
    job = await follow(wrapper);

    // A date range on ChurchTools' document date.
    const ct = wrapper.find('fieldset.os-conditions__system');
    await ct.findAll('button').find((b) => b.text() === 'Bedingung hinzufügen')!.trigger('click');
    job = await follow(wrapper);
    await wrapper.find('[data-system="churchtools"] select').setValue('documentDate');
    job = await follow(wrapper);
    expect(job.conditions.churchtools).toEqual([{ field: 'documentDate', values: [], range: {} }]);
    expect(validateJob(job, PAIRS).map((issue) => issue.path)).toEqual(['conditions.churchtools[0].range']);
    await wrapper.find('input[data-range="from"]').setValue('2026-01-01');
    job = await follow(wrapper);
    await wrapper.find('input[data-range="to"]').setValue('2026-06-30');
    job = await follow(wrapper);
    expect(job.conditions.churchtools).toEqual([{ field: 'documentDate', values: [], range: { from: '2026-01-01', to: '2026-06-30' } }]);

    expect(validateJob(job, PAIRS)).toEqual([]);
    expect(wrapper.find('[data-test="job-status"]').text()).toContain('Der Auftrag ist bereit.');
    expect(jobSchema.parse(job)).toEqual(job);
  });

  it('offers storno + new booking for what ChurchTools cannot change in place, only where the job writes bookings to ChurchTools', async () => {
    const job: Job = { ...newJob('c1', 'transaction'), name: 'Spenden', scope: { fiscalYear: '2026' }, actions: { importProperties: { conflictProtection: true } } };
    const wrapper = mountForm(job);
    const box = wrapper.find('input[data-option="rebook"]');
    expect((box.element as HTMLInputElement).checked).toBe(false);
    expect(wrapper.text()).toContain('Ohne diese Option meldet der Auftrag solche Buchungen nur');
    await box.setValue(true);
    expect((await follow(wrapper)).actions.importProperties).toEqual({ conflictProtection: true, rebook: true });
    // Switching conflict protection keeps the choice.
    await wrapper.find('input[data-option="conflictProtection"]').setValue(false);
    expect((await follow(wrapper)).actions.importProperties).toEqual({ conflictProtection: false, rebook: true });
    await wrapper.find('input[data-option="rebook"]').setValue(false);
    expect((await follow(wrapper)).actions.importProperties).toEqual({ conflictProtection: false });

    const exporting = mountForm({ ...job, actions: { exportProperties: { conflictProtection: true } } });
    expect(exporting.find('input[data-option="rebook"]').exists()).toBe(false);
    const people = mountForm({ ...newJob('c1'), actions: { updateProperties: { conflictProtection: true } } });
    expect(people.find('input[data-option="rebook"]').exists()).toBe(false);
  });

  it('asks for the ChurchTools client only when several periods start in the year', async () => {
    const job = { ...newJob('c1', 'transaction'), scope: { fiscalYear: '2026' } };
    expect(mountForm(job, { clients: ['1'] }).find('[data-test="client"]').exists()).toBe(false);
    const wrapper = mountForm(job, { clients: ['1', '2'], fiscalYears: ['2026', '2025'] });
    expect(wrapper.findAll('datalist option').map((o) => o.attributes('value'))).toEqual(['2026', '2025']);
    await wrapper.find('[data-test="client"]').setValue('2');
    expect((await follow(wrapper)).scope).toEqual({ fiscalYear: '2026', clientId: '2' });
    await wrapper.find('[data-test="client"]').setValue('');
    expect((await follow(wrapper)).scope).toEqual({ fiscalYear: '2026' });
  });

  it('keeps an emptied fiscal year, so validation names it', async () => {
    const wrapper = mountForm({ ...newJob('c1', 'transaction'), name: 'Spenden', actions: { link: { mode: 'newerWins' } } });
    await wrapper.find('[data-test="fiscal-year"]').setValue('');
    const job = await follow(wrapper);
    expect(job.scope).toEqual({ fiscalYear: '' });
    expect(validateJob(job, PAIRS).map((issue) => issue.path)).toEqual(['scope.fiscalYear']);
    expect(wrapper.findAll('[data-test="job-status"] li')).toHaveLength(1);
  });
});

describe('ConditionEditor for bookings', () => {
  const OPTIONS: Record<string, { id: string; name: string }[]> = {
    'churchtools:accounts': [
      { id: '1200', name: '1200 Bank' },
      { id: '8000', name: '8000 Spenden' },
    ],
  };

  function mountEditor(conditions: Conditions, problems: Record<string, string> = {}) {
    return mountWithApp(ConditionEditor, {
      props: {
        modelValue: conditions,
        domain: 'transaction',
        optionsFor: (system: SystemId, field: string) => OPTIONS[`${system}:${field}`] ?? [],
        problemFor: (system: SystemId, field: string) => problems[`${system}:${field}`] ?? null,
      },
    });
  }

  function last(wrapper: ReturnType<typeof mountEditor>): Conditions {
    const events = wrapper.emitted('update:modelValue') ?? [];
    return events[events.length - 1]![0] as Conditions;
  }

  it('offers the spec\'s fields per system and says "all bookings" without conditions', () => {
    const wrapper = mountEditor({ churchtools: [{ field: 'accounts', values: [] }], optigem: [{ field: 'project', values: [] }] });
    const names = (system: string) => wrapper.find(`[data-system="${system}"] select`).findAll('option').map((o) => o.text());
    expect(names('churchtools')).toEqual(['Konto', 'Kostenstelle', 'Spende', 'Belegdatum', 'Status des Spenders']);
    expect(names('optigem')).toEqual(['Hauptkonto', 'Projekt', 'Geschäftsjahr', 'Spende']);
    expect(mountEditor({ churchtools: [], optigem: [] }).find('.os-conditions__sentence').text()).toBe(
      'Dieser Auftrag berücksichtigt in ChurchTools alle Buchungen und in Optigem alle Buchungen.',
    );
  });

  it('says date ranges in the sentence, with open ends as "ab" and "bis"', () => {
    const wrapper = mountEditor({
      churchtools: [
        { field: 'documentDate', values: [], range: { from: '2026-01-01', to: '2026-06-30' } },
        { field: 'accounts', values: ['8000'] },
      ],
      optigem: [
        { field: 'isDonation', values: ['true'] },
        { field: 'fiscalYear', values: ['2026'] },
      ],
    });
    expect(wrapper.find('.os-conditions__sentence').text()).toBe(
      'Dieser Auftrag berücksichtigt in ChurchTools Buchungen, bei denen Belegdatum zwischen 01.01.2026 und 30.06.2026 liegt und Konto „8000 Spenden“ ist ' +
        'und in Optigem Buchungen, bei denen Spende „ja“ ist und Geschäftsjahr „2026“ ist.',
    );
    const open = mountEditor({
      churchtools: [{ field: 'documentDate', values: [], range: { from: '2026-03-01' } }],
      optigem: [{ field: 'documentDate', values: [], range: { from: null, to: '2026-06-30' } }],
    });
    expect(open.find('.os-conditions__sentence').text()).toBe(
      'Dieser Auftrag berücksichtigt in ChurchTools Buchungen, bei denen Belegdatum ab 01.03.2026 liegt und in Optigem Buchungen, bei denen documentDate bis 30.06.2026 liegt.',
    );
  });

  it('edits a range row (an emptied end is open) and a yes/no row', async () => {
    const wrapper = mountEditor({ churchtools: [{ field: 'documentDate', values: [], range: { from: '2026-01-01', to: '2026-06-30' } }], optigem: [] });
    expect(wrapper.find('input[data-range="to"]').attributes('min')).toBe('2026-01-01');
    await wrapper.find('input[data-range="from"]').setValue('');
    expect(last(wrapper).churchtools).toEqual([{ field: 'documentDate', values: [], range: { to: '2026-06-30' } }]);

    await wrapper.find('[data-system="churchtools"] select').setValue('isDonation');
    expect(last(wrapper).churchtools).toEqual([{ field: 'isDonation', values: [] }]);
    await wrapper.setProps({ modelValue: last(wrapper) });
    const yesNo = wrapper.find('select[data-yes-no]');
    expect(yesNo.findAll('option').map((o) => o.text())).toEqual(['Bitte wählen', 'ja', 'nein']);
    await yesNo.setValue('false');
    expect(last(wrapper).churchtools).toEqual([{ field: 'isDonation', values: ['false'] }]);
  });

  it('lets numbers be typed by hand when their list cannot be loaded, and says why', async () => {
    const wrapper = mountEditor(
      { churchtools: [{ field: 'accounts', values: ['8000'] }], optigem: [{ field: 'accounts', values: [] }] },
      { 'optigem:accounts': 'Die Optigem-Bridge unter http://bridge ist nicht erreichbar.' },
    );
    // ChurchTools' accounts are loaded: chosen from the list.
    expect(wrapper.find('[data-system="churchtools"] .os-multi__button').exists()).toBe(true);
    const typed = wrapper.find('[data-system="optigem"] input[data-typed]');
    const note = wrapper.find('[data-system="optigem"] [data-test="condition-note"]');
    expect(typed.attributes('aria-describedby')).toBe(note.attributes('id'));
    expect(note.text()).toBe('Die Optigem-Bridge unter http://bridge ist nicht erreichbar. Von Hand eingeben, mehrere durch Komma getrennt.');
    await typed.setValue('8000, 8010 8000');
    expect(last(wrapper).optigem).toEqual([{ field: 'accounts', values: ['8000', '8010'] }]);
  });
});

/** A connection with a token and `pairs`, saved through the store (the twins' storage). */
async function withConnection(pairs: readonly PropertyPair[] = []): Promise<string> {
  const connections = useConnectionsStore();
  const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
  await connections.saveToken(id, TOKEN);
  if (pairs.length > 0) await connections.savePropertyPairs(id, pairs);
  return id;
}

describe('booking option lists', () => {
  it('come from the ChurchTools period that starts in the fiscal year, and from the bridge', async () => {
    const twins = createTwins();
    const id = await withConnection();
    const options = useOptionsStore();
    const scope = { fiscalYear: '2026' };
    await Promise.all([options.ensure('ctAccounts', id, scope), options.ensure('ogAccounts', id, scope), options.ensure('ogProjects', id, scope)]);
    expect(options.list('ctAccounts', id, scope)).toEqual([
      { id: '1200', name: '1200 Bank' },
      { id: '8000', name: '8000 Spenden' },
    ]);
    expect(options.list('ctCostCenters', id, scope).map((o) => o.name)).toEqual(['10 Gemeinde', '20 Mission']);
    expect(options.list('ogAccounts', id, scope).map((o) => o.name)).toEqual(['1200 Bank', '8000 Spenden']);
    expect(options.list('ogProjects', id, scope)).toEqual([{ id: '10', name: '10 Gemeinde' }]);
    expect(twins.bridgeCalls.filter((c) => c.startsWith('accounts') || c.startsWith('projects'))).toHaveLength(2);

    await options.ensure('ctAccounts', id, { fiscalYear: '2024' });
    expect(options.list('ctAccounts', id, { fiscalYear: '2024' })).toEqual([]);
    expect(options.errorOf('ctAccounts', id, { fiscalYear: '2024' })).toEqual({ key: 'conditions.problem.noPeriod', args: { year: '2024' } });
    expect(options.errorOf('ogProjects', id, { fiscalYear: '' })).toEqual({ key: 'conditions.problem.noFiscalYear', args: {} });
  });

  it('say the token is missing instead of asking the bridge', async () => {
    const twins = createTwins();
    const connections = useConnectionsStore();
    const id = await connections.save({ name: 'Ohne Token', bridgeUrl: 'http://127.0.0.1:9/' });
    const options = useOptionsStore();
    await options.ensure('ogAccounts', id, { fiscalYear: '2026' });
    expect(options.errorOf('ogAccounts', id, { fiscalYear: '2026' })).toEqual({ key: 'readiness.noToken', args: { connection: 'Ohne Token' } });
    expect(twins.bridgeCalls).toEqual([]);
  });
});

describe('job editor view for bookings', () => {
  it('loads the accounts of the fiscal year for the conditions and saves a job that validates', async () => {
    const twins = createTwins();
    const id = await withConnection(PAIRS);
    const wrapper = await mountAt(JobEditorView, `/jobs/new?connection=${id}`, twins);
    await settle(() => expect(wrapper.find('form').exists()).toBe(true));
    await wrapper.find('input.os-input').setValue('Spenden 2026');
    await wrapper.findAll('select')[1]!.setValue('transaction');
    await wrapper.find('[data-test="fiscal-year"]').setValue('2026');
    await wrapper.find('input[data-action="link"]').setValue(true);
    await wrapper.findAll('button').find((b) => b.text() === 'Alle wählen')!.trigger('click');
    await wrapper.find('fieldset.os-conditions__system').findAll('button').find((b) => b.text() === 'Bedingung hinzufügen')!.trigger('click');

    // ChurchTools' accounts of period 2026 in the list; the years of both systems suggested.
    await settle(() => expect(wrapper.find('[data-system="churchtools"] .os-multi__button').exists()).toBe(true));
    await wrapper.find('[data-system="churchtools"] .os-multi__button').trigger('click');
    const boxes = wrapper.findAll('[data-system="churchtools"] .os-multi__option');
    expect(boxes.map((b) => b.text())).toEqual(['1200 Bank', '8000 Spenden']);
    await boxes[1]!.find('input').setValue(true);
    expect(wrapper.findAll('datalist option').map((o) => o.attributes('value'))).toEqual(['2026', '2025']);
    expect(wrapper.find('[data-test="client"]').exists()).toBe(false);

    await wrapper.find('[data-test="save-job"]').trigger('click');
    await settle(() => expect(wrapper.find('[role="dialog"]').exists()).toBe(true));
    expect(wrapper.find('[role="dialog"]').text()).toContain('Buchungen verknüpfen & Eigenschaften vereinheitlichen');
    await wrapper.find('[role="dialog"]').findAll('button').find((b) => b.text() === 'Speichern')!.trigger('click');
    await settle(() => expect(useJobsStore().list).toHaveLength(1));
    const saved = useJobsStore().list[0]!;
    expect(saved).toMatchObject({
      name: 'Spenden 2026',
      domain: 'transaction',
      scope: { fiscalYear: '2026' },
      actions: { link: { mode: 'newerWins' } },
      conditions: { churchtools: [{ field: 'accounts', values: ['8000'] }], optigem: [] },
      propertyPairKeys: DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((p) => p.key),
    });
    expect(validateJob(saved, PAIRS)).toEqual([]);
    expect((await twins.storage.jobs.get(saved.id))?.data).toEqual(saved);
  });

  it('needs finance rights for booking jobs, and the edit right only for jobs that write ChurchTools', async () => {
    createTwins();
    const id = await withConnection(PAIRS);
    const permissions = usePermissionsStore();
    await permissions.load();
    const job = { ...newJob(id, 'transaction'), name: 'Export', actions: { exportProperties: { conflictProtection: true } }, propertyPairKeys: ['td'] };
    expect(permissions.missingForJob(job).map((r) => `${r.module}:${r.permission}`)).toEqual(['finance:view', 'finance:view accounting period']);
    const importing = { ...job, actions: { importProperties: { conflictProtection: true } } };
    expect(permissions.missingForJob(importing).map((r) => r.permission)).toContain('edit accounting period');
  });
});

describe('jobs list', () => {
  it('shows each job\'s domain, with the fiscal year for bookings', async () => {
    const twins = createTwins();
    const id = await withConnection(PAIRS);
    await twins.storage.jobs.save({ ...newJob(id), name: 'Personen', actions: { link: { mode: 'newerWins' } } }, null);
    await twins.storage.jobs.save({ ...newJob(id, 'transaction'), name: 'Spenden', scope: { fiscalYear: '2026' }, actions: { import: { defaults: {} } }, propertyPairKeys: ['td'] }, null);
    const wrapper = mountWithApp(JobsView, {}, twins);
    await settle(() => expect(wrapper.findAll('[data-test="job-row"]')).toHaveLength(2));
    const rows = wrapper.findAll('[data-test="job-row"]').map((row) => [row.find('th').text(), row.find('[data-test="job-domain"]').text(), row.findAll('td')[2]!.text()]);
    expect(rows).toEqual([
      ['Personen', 'Personen', 'Personen verknüpfen & Eigenschaften vereinheitlichen'],
      ['Spenden', 'Buchungen 2026', 'Buchungen importieren'],
    ]);
  });
});

describe('property pairs page for bookings', () => {
  it('adds the usual booking pairs, explains the donor pair instead of a mapping, and offers booking fields', async () => {
    const twins = createTwins();
    const id = await withConnection(PERSON_PAIRS);
    const wrapper = await mountAt(PropertyPairsView, `/connections/${id}/properties`, twins);
    await settle(() => expect(wrapper.find('[data-test="add-transaction-defaults"]').exists()).toBe(true));
    expect(wrapper.text()).toContain('Gegenkonto (bei Einnahmen: Ertrags-/Spendenkonto) ↔ Haben-Konto');
    await wrapper.find('[data-test="add-transaction-defaults"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="add-transaction-defaults"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-domain="transaction"] [data-pair]').map((p) => p.attributes('data-pair'))).toEqual(DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((p) => p.key));
    expect(wrapper.findAll('[data-domain="person"] [data-pair]').map((p) => p.attributes('data-pair'))).toEqual(['fn', 'ln']);
    const donor = wrapper.find('[data-pair="tp"]');
    expect(donor.find('[data-test="donor-explanation"]').text()).toBe('Spender werden über die Personen-Paare zugeordnet (Ehepaare: Spender + Ehepartner).');
    expect(donor.find('.os-mapping').exists()).toBe(false);
    expect(wrapper.findAll('.os-mapping')).toHaveLength(0);

    // A new booking pair: the domain decides the fields; the donor pairs only with the donor.
    await wrapper.find('[data-test="new-domain"]').setValue('transaction');
    const [ct, og] = wrapper.findAll('.os-pp__add select').slice(1);
    expect(ct!.findAll('option').map((o) => o.attributes('value'))).toEqual([
      'documentDate', 'amount', 'documentNumber', 'note', 'account', 'contraAccount', 'costCenter', 'donor', 'isWaiverOfReimbursementOfExpenses',
    ]);
    expect(og!.findAll('option').map((o) => o.text())).toContain('Haben-Konto');
    await ct!.setValue('donor');
    expect(wrapper.find('[data-test="donor-mismatch"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="add-pair"]').attributes('disabled')).toBeDefined();
    await og!.setValue('donor');
    await wrapper.find('[data-test="add-pair"]').trigger('click');
    await flushPromises();
    const added = usePropertyPairsStore().draft.at(-1);
    expect(added).toEqual({ key: 'donor', domain: 'transaction', churchtools: 'donor', optigem: 'donor', role: 'donor' });
  });
});

describe('a connection stored with the old, reversed booking sides', () => {
  /** As stored before issue #11: Soll ↔ Gegenkonto (`ts`), Haben ↔ Konto (`th`). */
  const OLD_PAIRS: PropertyPair[] = [
    ...PERSON_PAIRS,
    ...DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((pair) =>
      pair.key === 'tk' ? { ...pair, key: 'ts', churchtools: 'contraAccount' } : pair.key === 'tg' ? { ...pair, key: 'th', churchtools: 'account' } : pair,
    ),
  ];

  it('says what is wrong on the property pairs page, blocks its booking jobs, and switches connection and jobs with one button', async () => {
    const twins = createTwins();
    const id = await withConnection(OLD_PAIRS);
    const keys = OLD_PAIRS.filter((pair) => pair.domain === 'transaction').map((pair) => pair.key);
    await twins.storage.jobs.save({ ...newJob(id, 'transaction'), id: 'spenden', name: 'Spenden', scope: { fiscalYear: '2026' }, actions: { import: { defaults: {} } }, propertyPairKeys: keys }, null);
    await twins.storage.jobs.save({ ...newJob(id), id: 'personen', name: 'Personen', actions: { link: { mode: 'newerWins' } }, propertyPairKeys: ['fn', 'ln'] }, null);
    const jobs = useJobsStore();
    await jobs.load();
    expect(jobs.runBlockers(jobs.byId('spenden')!.data)).toContainEqual({ key: 'readiness.bookingSidesReversed', args: { connection: 'Optigem' } });
    expect(jobs.runBlockers(jobs.byId('personen')!.data)).toEqual([]);

    const wrapper = await mountAt(PropertyPairsView, `/connections/${id}/properties`, twins);
    await settle(() => expect(wrapper.find('[data-test="booking-sides-notice"]').exists()).toBe(true));
    const notice = wrapper.find('[data-test="booking-sides-notice"]');
    expect(notice.find('h3').text()).toBe('Soll und Haben sind verkehrt herum zugeordnet');
    expect(notice.text()).toContain('Konto = Bank/Kasse und Gegenkonto = Spenden- bzw. Ertragskonto');
    expect(notice.text()).toContain('Buchungsaufträge dieser Verbindung laufen deshalb nicht.');
    // The usual booking pairs are not offered a second time for the reversed sides.
    expect(wrapper.find('[data-test="add-transaction-defaults"]').exists()).toBe(false);

    await notice.find('[data-test="fix-booking-sides"]').trigger('click');
    await settle(() => expect(wrapper.find('[data-test="booking-sides-done"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="booking-sides-notice"]').exists()).toBe(false);
    const stored = (await twins.storage.connections.get(id))!.data.propertyPairs.filter((pair) => pair.domain === 'transaction');
    expect(stored.map(({ key, churchtools, optigem }) => ({ key, churchtools, optigem }))).toEqual(
      DEFAULT_TRANSACTION_PROPERTY_PAIRS.map(({ key, churchtools, optigem }) => ({ key, churchtools, optigem })),
    );
    expect((await twins.storage.jobs.get('spenden'))!.data.propertyPairKeys).toEqual(DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((pair) => pair.key));
    expect((await twins.storage.jobs.get('personen'))!.revision).toBe(1);
    // The page now edits the switched pairs, and the booking job may run.
    expect(wrapper.findAll('[data-domain="transaction"] [data-pair]').map((p) => p.attributes('data-pair'))).toEqual(DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((p) => p.key));
    expect(jobs.runBlockers(jobs.byId('spenden')!.data)).toEqual([]);
  });

  it('cannot switch while the pairs have unsaved edits, and says so', async () => {
    const twins = createTwins();
    const id = await withConnection(OLD_PAIRS);
    const wrapper = await mountAt(PropertyPairsView, `/connections/${id}/properties`, twins);
    await settle(() => expect(wrapper.find('[data-test="booking-sides-notice"]').exists()).toBe(true));
    usePropertyPairsStore().remove('fn');
    await flushPromises();
    expect(wrapper.find('[data-test="fix-booking-sides"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="booking-sides-notice"]').text()).toContain('Erst die Änderungen an den Eigenschaften-Paaren speichern oder verwerfen.');
  });
});
