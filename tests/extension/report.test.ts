// @vitest-environment happy-dom
// The report: counters, entries that need a decision, filters, and the field-by-field diff.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ChangeDiff from '../../src/extension/components/ChangeDiff.vue';
import ExecutionReport from '../../src/extension/components/ExecutionReport.vue';
import { emptyCounters, type Execution, type FieldValue, type LogEntry, type PropertyPair, type SystemId } from '../../src/sync/model.ts';
import { mountWithApp } from './ui-mount.ts';

const PAIRS: PropertyPair[] = [
  { key: 'ci', domain: 'person', churchtools: 'city', optigem: 'Ort' },
  { key: 'st', domain: 'person', churchtools: 'statusId', optigem: 'Kategorien', mapping: { entries: [{ churchtools: '1', optigem: '150' }], fallback: { kind: 'skip' } } },
];
const NAMES: Record<string, string> = { '1': 'Mitglied', '150': '150: Mitglieder' };
const format = (_system: SystemId, _field: string, value: FieldValue | undefined): string =>
  value === null || value === undefined ? '(leer)' : Array.isArray(value) ? value.map((v) => NAMES[v] ?? v).join(', ') : (NAMES[String(value)] ?? String(value));

function entry(seq: number, change: Partial<LogEntry>): LogEntry {
  return { seq, action: 'updateProperties', type: 'update', system: 'churchtools', ctId: String(seq), ogId: String(500 + seq), label: `Person ${seq}`, changes: [], message: { key: 'log.update.newer', args: { fields: 'city' } }, level: 'info', state: 'planned', ...change };
}

const ENTRIES: LogEntry[] = [
  entry(1, { changes: [{ field: 'city', oldValue: 'Alt', newValue: 'Neu' }], label: 'Müller, Anna' }),
  entry(2, { system: 'optigem', changes: [{ field: 'Kategorien', oldValue: ['300'], newValue: ['150', '300'] }], label: 'Schulz, Bernd', message: { key: 'log.update.exported', args: { fields: 'Kategorien' } } }),
  entry(3, { type: 'conflict', system: 'both', level: 'warning', label: 'Weber, Carla', changes: [{ field: 'statusId', oldValue: '1', newValue: ['150'] }], message: { key: 'log.conflict.bothChanged', args: { fields: 'statusId' } } }),
  entry(4, { type: 'duplicate', action: 'link', system: 'both', level: 'warning', label: 'Meier, Hans', ctId: '4', ogId: null, message: { key: 'log.link.duplicate', args: { candidates: '7, 8' } } }),
];

function execution(change: Partial<Execution> = {}): Execution {
  const counters = emptyCounters();
  counters.churchtools.update = 1;
  counters.optigem.update = 1;
  return { id: 'e1', jobId: 'j1', connectionId: 'c1', dryRun: true, status: 'succeeded', startedAt: '2026-03-01T10:00:00Z', finishedAt: '2026-03-01T10:00:05Z', counters, errorCount: 0, conflictCount: 2, ...change };
}

describe('ChangeDiff', () => {
  it('shows old → new per field, with names instead of ids', () => {
    const wrapper = mountWithApp(ChangeDiff, { props: { changes: ENTRIES[1]!.changes, system: 'optigem', propertyPairs: PAIRS, format } });
    const cells = wrapper.findAll('tbody tr').map((tr) => tr.findAll('th, td').map((c) => c.text()));
    expect(cells).toEqual([['Kategorien', '300', '150: Mitglieder, 300']]);
    expect(wrapper.find('del').exists()).toBe(true);
    expect(wrapper.find('ins').text()).toBe('150: Mitglieder, 300');
  });

  it('shows a conflict as the ChurchTools value next to the Optigem value', () => {
    const wrapper = mountWithApp(ChangeDiff, { props: { changes: ENTRIES[2]!.changes, system: 'both', propertyPairs: PAIRS, format } });
    expect(wrapper.findAll('thead th').map((th) => th.text())).toEqual(['Eigenschaft', 'ChurchTools', 'Optigem']);
    expect(wrapper.findAll('tbody td').map((td) => td.text())).toEqual(['Mitglied', '150: Mitglieder']);
    expect(wrapper.find('tbody th').text()).toBe('Status');
  });

  it('names a couple split\'s fields by their labels and formats their values by the plain field', () => {
    const seen: string[] = [];
    const byField = (system: SystemId, field: string, value: FieldValue | undefined): string => {
      seen.push(field);
      return format(system, field, value);
    };
    const changes = [
      { field: 'Max Muster: lastName', oldValue: null, newValue: 'Muster' },
      { field: 'Erika Muster: statusId', oldValue: null, newValue: '1' },
    ];
    const wrapper = mountWithApp(ChangeDiff, { props: { changes, system: 'churchtools', propertyPairs: PAIRS, format: byField } });
    const cells = wrapper.findAll('tbody tr').map((tr) => tr.findAll('th, td').map((c) => c.text()));
    expect(cells).toEqual([
      ['Max Muster: Nachname', '(leer)', 'Muster'],
      ['Erika Muster: Status', '(leer)', 'Mitglied'],
    ]);
    expect(new Set(seen)).toEqual(new Set(['lastName', 'statusId']));
  });

  it('renders markup in values as text', () => {
    const wrapper = mountWithApp(ChangeDiff, {
      props: { changes: [{ field: 'city', oldValue: '<b>x</b>', newValue: '<script>alert(1)</script>' }], system: 'churchtools', propertyPairs: PAIRS, format },
    });
    expect(wrapper.find('script').exists()).toBe(false);
    expect(wrapper.find('ins').text()).toBe('<script>alert(1)</script>');
  });
});

describe('ExecutionReport', () => {
  it('shows counters, entries that need a decision with what to do, and every entry filterable', async () => {
    const wrapper = mountWithApp(ExecutionReport, { props: { execution: execution(), entries: ENTRIES, propertyPairs: PAIRS, format } });
    await flushPromises();
    expect(wrapper.find('tr[data-system="churchtools"] td[data-kind="update"]').text()).toBe('1');
    expect(wrapper.find('tr[data-system="optigem"] td[data-kind="update"]').text()).toBe('1');
    const attention = wrapper.find('[aria-label="Braucht eine Entscheidung"]');
    expect(attention.findAll('li').map((li) => li.find('strong').text())).toEqual(['Weber, Carla', 'Meier, Hans']);
    expect(attention.text()).toContain('Was tun: die Doppelung bereinigen');
    expect(wrapper.text()).toContain('4 von 4');

    await wrapper.find('select[data-filter="type"]').setValue('conflict');
    expect(wrapper.text()).toContain('1 von 4');
    await wrapper.find('select[data-filter="type"]').setValue('');
    await wrapper.find('input[data-filter="search"]').setValue('müller');
    expect(wrapper.text()).toContain('1 von 4');
    await wrapper.find('button[data-seq="1"]').trigger('click');
    const detail = wrapper.find('[data-test="entry-detail"]');
    expect(detail.findAll('tbody td').map((td) => td.text())).toEqual(['Alt', 'Neu']);
    expect(detail.text()).toContain('Aktualisiert (Ort) mit den neueren Werten.');

    await wrapper.find('input[data-filter="search"]').setValue('');
    await wrapper.find('select[data-filter="system"]').setValue('optigem');
    expect(wrapper.findAll('button[data-seq]').map((b) => b.attributes('data-seq'))).toEqual(['2']);
    await wrapper.find('select[data-filter="system"]').setValue('');
    await wrapper.find('select[data-filter="level"]').setValue('warning');
    expect(wrapper.findAll('button[data-seq]').map((b) => b.attributes('data-seq'))).toEqual(['3', '4']);
  });

  it('says why a run was refused', () => {
    const wrapper = mountWithApp(ExecutionReport, {
      props: { execution: execution({ dryRun: false, status: 'refused', refusal: { key: 'refusal.planChanged' } }), entries: [], propertyPairs: PAIRS, format },
    });
    expect(wrapper.find('[data-test="refusal"]').text()).toBe('Die Daten haben sich seit der Simulation geändert. Bitte erneut simulieren.');
    expect(wrapper.find('.os-badge--refused').text()).toBe('abgelehnt');
  });
});
