// @vitest-environment happy-dom
// One formatting module for people: every kind of value as the admin reads it, and no storage
// form (cents, false, field keys) in the rendered report, log, CSV or CLI text.
import { describe, expect, it } from 'vitest';
import ExecutionReport from '../../src/extension/components/ExecutionReport.vue';
import { executionSummary } from '../../src/cli/render.ts';
import { toCsv } from '../../src/format/csv.ts';
import { actionLabel, entryStateLabel, operationLabel, statusLabel, systemName } from '../../src/format/labels.ts';
import { logCsvHeader, logCsvRow } from '../../src/format/log-csv.ts';
import { fieldLabel, formatArgs, formatBoolean, formatDay, formatMoney, formatValue, numberedName, pairLabel, personName } from '../../src/format/values.ts';
import { formatMessage } from '../../src/runner/messages.ts';
import { emptyCounters, type Execution, type LogEntry, type SystemId } from '../../src/sync/model.ts';
import { mountWithApp } from './ui-mount.ts';

const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('formatting values for people', () => {
  it('shows fields by their property-pair labels, on both sides, in both languages', () => {
    expect(fieldLabel('churchtools', 'statusId', 'de')).toBe('Status');
    expect(fieldLabel('churchtools', 'departmentIds', 'en')).toBe('Departments');
    expect(fieldLabel('optigem', 'debitAccount', 'de')).toBe('Soll-Konto');
    expect(fieldLabel('optigem', 'amountCents', 'en')).toBe('Amount');
    expect(pairLabel({ churchtools: 'amount', optigem: 'amountCents' }, 'de')).toBe('Betrag ↔ Betrag');
  });

  it('shows cents as money in the locale', () => {
    expect(plain(formatMoney(5000, 'de'))).toBe('50,00 €');
    expect(plain(formatMoney(25000, 'en'))).toBe('€250.00');
    expect(plain(formatValue('churchtools', 'amount', 5000, 'de'))).toBe('50,00 €');
    expect(plain(formatValue('optigem', 'amountCents', 123456, 'de'))).toBe('1.234,56 €');
  });

  it('shows days and instants as dates in the locale', () => {
    expect(formatDay('2026-06-30', 'de')).toBe('30.06.2026');
    expect(formatDay('2026-06-30', 'en')).toBe('30 Jun 2026');
    expect(formatValue('churchtools', 'birthday', '1980-02-01', 'de')).toBe('01.02.1980');
  });

  it('shows booleans as ja/nein or yes/no', () => {
    expect(formatBoolean(false, 'de')).toBe('nein');
    expect(formatValue('churchtools', 'isWaiverOfReimbursementOfExpenses', true, 'en')).toBe('yes');
  });

  it('shows ids by their names where the caller knows them, and people and accounts by name and number', () => {
    const lookup = (_s: SystemId, field: string, id: string) => (field === 'departmentIds' ? ({ '2': 'Jugend', '3': 'Musik' } as Record<string, string>)[id] : undefined);
    expect(formatValue('churchtools', 'departmentIds', ['2', '3'], 'de', { lookup })).toBe('Jugend, Musik');
    expect(formatValue('churchtools', 'statusId', null, 'de', { empty: '(leer)' })).toBe('(leer)');
    expect(personName({ lastName: 'Müller', firstName: 'Anna' }, 1036)).toBe('Müller, Anna (#1036)');
    expect(numberedName('8000', 'Spenden')).toBe('8000 Spenden');
  });

  it('names actions in the job domain, operations, states, statuses and systems', () => {
    expect(actionLabel('transaction', 'import', 'de')).toBe('Buchungen importieren');
    expect(actionLabel('person', 'import', 'en')).toBe('Import people');
    expect(operationLabel('skip', 'de')).toBe('Übersprungen');
    expect(entryStateLabel('done', 'de')).toBe('erledigt');
    expect(statusLabel('refused', 'de')).toBe('abgelehnt');
    expect(systemName('optigem')).toBe('Optigem');
  });

  it('formats message arguments: field lists, money, systems, actions', () => {
    const args = formatArgs({ fields: 'firstName, email, sexId', sumCents: 25000, system: 'optigem', action: 'import' }, 'de', undefined, { action: (a) => actionLabel('transaction', a, 'de') });
    expect(args).toMatchObject({ fields: 'Vorname, E-Mail, Geschlecht', system: 'Optigem', action: 'Buchungen importieren' });
    expect(plain(String(args['sum']))).toBe('250,00 €');
  });
});

// A booking run's log with every storage form the issue saw: cents, false, Optigem keys, ids.
const ENTRIES: LogEntry[] = [
  {
    seq: 1, action: 'importProperties', type: 'update', system: 'churchtools', ctId: '10', ogId: '77', label: '2026-01-01 · Müller, Anna', level: 'info', state: 'done',
    changes: [
      { field: 'amount', oldValue: 4000, newValue: 5000 },
      { field: 'isWaiverOfReimbursementOfExpenses', oldValue: true, newValue: false },
    ],
    message: { key: 'log.update.imported', args: { fields: 'amount, isWaiverOfReimbursementOfExpenses' } },
  },
  {
    seq: 2, action: 'exportProperties', type: 'update', system: 'optigem', ctId: '11', ogId: '78', label: 'Schulz, Bernd', level: 'info', state: 'done',
    changes: [{ field: 'debitAccount', oldValue: '1200', newValue: '1800' }, { field: 'amountCents', oldValue: 100, newValue: 5000 }],
    message: { key: 'log.update.exported', args: { fields: 'debitAccount, amountCents' } },
  },
  {
    seq: 3, action: 'updateProperties', type: 'conflict', system: 'both', ctId: '12', ogId: '79', label: 'Weber, Carla', level: 'warning', state: 'planned',
    changes: [{ field: 'statusId', oldValue: '1', newValue: '2' }],
    message: { key: 'log.conflict.bothChanged', args: { fields: 'statusId, departmentIds' } },
  },
];
const STORAGE_FORMS = [/\b5000\b/, /\bfalse\b/, /\btrue\b/, /debitAccount/, /amountCents/, /statusId/, /departmentIds/, /isWaiverOfReimbursementOfExpenses/, /\bdone\b/];

function storageFormsIn(text: string): string[] {
  return STORAGE_FORMS.filter((form) => form.test(text)).map(String);
}

const execution: Execution = { id: 'e1', jobId: 'j1', connectionId: 'c1', dryRun: false, status: 'succeeded', startedAt: '2026-03-01T10:00:00Z', finishedAt: '2026-03-01T10:00:05Z', counters: emptyCounters(), errorCount: 0, conflictCount: 1 };

describe('no storage form in rendered text', () => {
  it('the CLI text output (verbose), in German and English', () => {
    for (const locale of ['de', 'en'] as const) {
      const text = executionSummary({ jobName: 'Spenden 2026', domain: 'transaction', execution, plan: null, entries: ENTRIES, outcome: 'conflicts', exitCode: 1 }, locale, true);
      expect(storageFormsIn(text)).toEqual([]);
      expect(plain(text)).toContain(locale === 'de' ? 'Betrag: 40,00 € → 50,00 €' : 'Amount: €40.00 → €50.00');
      expect(text).toContain(locale === 'de' ? 'Eigenschaften importieren' : 'Import properties');
    }
  });

  it('the CSV, with the raw values kept in their own column', () => {
    const text = (message: LogEntry['message'], entry: LogEntry) => formatMessage(message, 'de', entry.system, 'transaction');
    const rows = ENTRIES.map((entry) => logCsvRow(entry, { locale: 'de', domain: 'transaction', text }));
    const header = logCsvHeader('de');
    const human = toCsv(header.slice(0, -1), rows.map((row) => row.slice(0, -1)));
    expect(storageFormsIn(human)).toEqual([]);
    expect(plain(human)).toContain('Soll-Konto: 1200 → 1800 | Betrag: 1,00 € → 50,00 €');
    expect(human).toContain('Konflikt: Status, Bereiche wurde');
    expect(String(rows[1]?.at(-1))).toContain('"field":"amountCents"');
  });

  it('the report and its log entries in the UI', async () => {
    const wrapper = mountWithApp(ExecutionReport, {
      props: { execution, entries: ENTRIES, propertyPairs: [], domain: 'transaction', format: (system: SystemId, field: string, value) => formatValue(system, field, value, 'de') },
    });
    for (const seq of [1, 2, 3]) {
      await wrapper.find(`[data-seq="${seq}"]`).trigger('click');
      expect(storageFormsIn(wrapper.text())).toEqual([]);
      if (seq === 1) expect(plain(wrapper.find('[data-test="entry-detail"]').text())).toContain('40,00 €50,00 €');
    }
  });
});

describe('values in the views follow the UI language', () => {
  it('names Optigem gender codes in English for an English user', async () => {
    const { mount } = await import('@vue/test-utils');
    const { defineComponent, h } = await import('vue');
    const { createSyncI18n } = await import('../../src/extension/i18n/index.ts');
    const { useValueFormatter } = await import('../../src/extension/composables/value-format.ts');
    const { createTwins } = await import('./ui-twins.ts');
    const twins = createTwins();
    const Probe = defineComponent({
      setup() {
        const format = useValueFormatter(() => undefined);
        return () => h('p', [format('optigem', 'Geschlecht', 'female'), ' / ', format('churchtools', 'isWaiverOfReimbursementOfExpenses', false)]);
      },
    });
    const wrapper = mount(Probe, { global: { plugins: [createSyncI18n('en'), twins.pinia] } });
    expect(wrapper.text()).toBe('female / no');
  });
});
