// @vitest-environment happy-dom
// Ids by the names they stand for (issue #15 §1): a booking's donor is a person ("Bauer, Emma
// (#237)", never "237"), an account is "8000 Spenden". The lookups, and a booking run on
// demo-like data rendered as the report, the log, the CSV and the CLI's text: no bare number in
// the donor's place and no field key where a label belongs.
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { executionSummary } from '../../src/cli/render.ts';
import BlockerGroups from '../../src/extension/components/BlockerGroups.vue';
import ExecutionReport from '../../src/extension/components/ExecutionReport.vue';
import { useValueFormatter, useValueNames } from '../../src/extension/composables/value-format.ts';
import { createSyncI18n } from '../../src/extension/i18n/index.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { toCsv } from '../../src/format/csv.ts';
import { logCsvHeader, logCsvRow } from '../../src/format/log-csv.ts';
import { formatArgs, formatChange, formatValue, personIdsShown, personRef, personsFromRecords, type PersonLookup } from '../../src/format/values.ts';
import { formatMessage } from '../../src/runner/messages.ts';
import { run, simulate } from '../../src/sync/engine.ts';
import type { LogEntry, Message, SyncRecord, SystemId } from '../../src/sync/model.ts';
import { CT_IDENTITY, OG_IDENTITY } from '../sync/fixtures.ts';
import { ctBooking, ogBooking, transactionWorld, txJob } from '../sync/transaction-fixtures.ts';
import { mountWithApp } from './ui-mount.ts';
import { createTwins } from './ui-twins.ts';

const plain = (text: string) => text.replace(/\u00a0/g, ' ');

function records(list: readonly [string, Record<string, string>][]): Map<string, SyncRecord> {
  return new Map(list.map(([id, properties]) => [id, { id, properties, modifiedAt: null }]));
}

// The persons of the transaction fixtures' person pairs: 100 ↔ 5, the couple 101 + 102 ↔ 7.
const READ = {
  churchtools: {
    byId: records([
      ['100', { firstName: 'Emma', lastName: 'Bauer' }],
      ['101', { firstName: 'Max', lastName: 'Muster' }],
      ['102', { firstName: 'Erika', lastName: 'Muster' }],
    ]),
    identity: CT_IDENTITY,
  },
  optigem: {
    byId: records([
      ['5', { Vorname: 'Emma', Nachname: 'Bauer' }],
      ['7', { Vorname: 'Max und Erika', Nachname: 'Muster' }],
    ]),
    identity: OG_IDENTITY,
  },
};
const persons: PersonLookup = personsFromRecords(READ);

describe('person lookups', () => {
  it('names a person id by the records read, a couple by both spouses, an unknown one as "Person #id"', () => {
    expect(personRef('churchtools', '100', 'de', persons)).toBe('Bauer, Emma (#100)');
    expect(personRef('churchtools', '101,102', 'de', persons)).toBe('Muster, Max (#101) & Muster, Erika (#102)');
    expect(personRef('optigem', '7', 'en', persons)).toBe('Muster, Max und Erika (#7)');
    expect(personRef('churchtools', '237', 'de', persons)).toBe('Person #237');
    expect(personRef('optigem', 237, 'en')).toBe('Person #237');
  });

  it('formats donor values, message donors and conflicts with each side named on its own system', () => {
    expect(formatValue('churchtools', 'donor', '100', 'de', { persons })).toBe('Bauer, Emma (#100)');
    expect(formatValue('optigem', 'donor', '5', 'de', { persons })).toBe('Bauer, Emma (#5)');
    expect(formatValue('churchtools', 'donor', '5', 'de')).toBe('Person #5');
    expect(formatValue('churchtools', 'donor', null, 'de')).toBe('–');
    const conflict = formatChange('both', { field: 'donor', oldValue: '100', newValue: '7' }, 'de', { persons }, [{ churchtools: 'donor', optigem: 'donor' }]);
    expect(conflict).toEqual({ field: 'Spender', old: 'Bauer, Emma (#100)', new: 'Muster, Max und Erika (#7)' });
    expect(formatArgs({ system: 'optigem', donor: '5' }, 'de', undefined, { persons })).toMatchObject({ donor: 'Bauer, Emma (#5)', system: 'Optigem' });
    // A log entry names the side written to, not where the value came from: no name is guessed.
    expect(formatArgs({ field: 'donor', value: '5' }, 'de', 'churchtools', { persons })).toMatchObject({ value: 'Person #5', field: 'Spender' });
  });

  it('collects exactly the person ids a report shows, per system', () => {
    const entries: Pick<LogEntry, 'system' | 'changes'>[] = [
      { system: 'churchtools', changes: [{ field: 'donor', oldValue: '100', newValue: '101,102' }, { field: 'amount', oldValue: 1, newValue: 2 }] },
      { system: 'both', changes: [{ field: 'donor', oldValue: '100', newValue: '7' }] },
    ];
    const blockers: Message[] = [{ key: 'blocker.preflight.donorNotLinked', args: { system: 'optigem', donor: '1132', booking: 'B', bookings: 1 } }];
    const ids = personIdsShown(entries, blockers);
    expect([...ids.churchtools].sort()).toEqual(['100', '101', '102']);
    expect([...ids.optigem].sort()).toEqual(['1132', '7']);
  });
});

// A field key (camelCase: statusId, amountCents, isWaiverOf…) where a label belongs.
const FIELD_KEY = /\b[a-z]+[A-Z][A-Za-z]*\b/;
/** The donor's place in text: "Spender: – → 237", "Spender: 237", "Spender → 237", "Spender 237 aus". */
const BARE_DONOR = /(?:Spender|Donor)(?::|: [^;|\n→]*→| →)? [1-9]/;

/** Every text node of a rendered view on its own (elements' texts run together otherwise). */
function textNodes(root: Element): string[] {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3 && node.textContent?.trim()) out.push(node.textContent.trim());
    node.childNodes.forEach(walk);
  };
  walk(root);
  return out;
}

async function bookingRun() {
  const w = await transactionWorld();
  // Linked bookings whose donor changed in Optigem (5 → the couple 7), a new booking of the couple,
  // and one whose donor the admins have not read (ChurchTools 237 has no record here).
  const ct = w.ct.add({ properties: ctBooking({ doc: 'D-1', donor: '100' }) });
  const og = w.og.add({ properties: ogBooking({ doc: 'D-1', donor: '5' }) });
  await run(txJob({ link: { mode: 'newerWins' } }), w.context);
  await w.og.update('transaction', og.id, { donor: '7', amountCents: 6000 }, { expectedModifiedAt: null, partnerId: ct.id });
  w.og.add({ properties: ogBooking({ doc: 'D-2', donor: '7', cents: 7000 }) });
  w.og.add({ properties: ogBooking({ doc: 'D-3', donor: '5', cents: 2000 }) });
  const job = txJob({ link: { mode: 'newerWins' }, import: { defaults: {} }, importProperties: { conflictProtection: false, rebook: true } });
  const outcome = await run(job, w.context);
  expect(outcome.execution.counters.churchtools.create).toBe(2);
  const donorChanges = outcome.entries.flatMap((e) => e.changes).filter((c) => c.field === 'donor');
  expect(donorChanges.length).toBeGreaterThanOrEqual(3);
  return outcome;
}

describe('a booking run on demo-like data, rendered', () => {
  it('the CLI text (verbose) names every donor and labels every field, in German and English', async () => {
    const { execution, plan, entries } = await bookingRun();
    for (const locale of ['de', 'en'] as const) {
      const text = executionSummary({ jobName: 'Spenden 2026', domain: 'transaction', execution, plan, entries, outcome: 'succeeded', exitCode: 0, persons }, locale, true);
      expect(text).not.toMatch(FIELD_KEY);
      expect(text).not.toMatch(BARE_DONOR);
      expect(text).toContain(locale === 'de' ? 'Spender: – → Muster, Max (#101) & Muster, Erika (#102)' : 'Donor: – → Muster, Max (#101) & Muster, Erika (#102)');
      expect(text).toContain('Bauer, Emma (#100)');
    }
  });

  it('the CSV names donors in the changes and keeps the raw ids in their own column', async () => {
    const { entries } = await bookingRun();
    const text = (message: Message, entry: LogEntry) => formatMessage(message, 'de', entry.system, 'transaction', persons);
    const rows = entries.map((entry) => logCsvRow(entry, { locale: 'de', domain: 'transaction', persons, text }));
    const human = toCsv(logCsvHeader('de').slice(0, -1), rows.map((row) => row.slice(0, -1)));
    expect(human).not.toMatch(FIELD_KEY);
    expect(human.match(BARE_DONOR)?.[0]).toBeUndefined();
    expect(human).toContain('Spender: – → Bauer, Emma (#100)');
    const raw = rows.map((row) => String(row.at(-1))).join('\n');
    expect(raw).toContain('"field":"donor"');
    expect(raw).toMatch(/"new":"101,102"/);
  });

  it('the report and every log entry in the UI, and an unknown donor as "Person #id"', async () => {
    const { execution, entries } = await bookingRun();
    const format = (system: SystemId, field: string, value: Parameters<typeof formatValue>[2]) => formatValue(system, field, value, 'de', { persons });
    const wrapper = mountWithApp(ExecutionReport, { props: { execution, entries, propertyPairs: [], domain: 'transaction', format, persons } });
    for (const entry of entries) {
      await wrapper.find(`[data-seq="${entry.seq}"]`).trigger('click');
      expect(textNodes(wrapper.element).filter((text) => FIELD_KEY.test(text))).toEqual([]);
      const donorCells = wrapper.findAll('tbody tr').filter((row) => row.find('th').text() === 'Spender').flatMap((row) => row.findAll('td').map((cell) => cell.text()));
      expect(donorCells.filter((cell) => /^\d/.test(cell))).toEqual([]);
      if (entry.changes.some((change) => change.field === 'donor' && change.newValue !== null)) expect(donorCells.join(' ')).toMatch(/\(#\d+\)/);
    }
    const unknown = mountWithApp(ExecutionReport, {
      props: {
        execution,
        entries: [{ ...entries[0]!, changes: [{ field: 'donor', oldValue: null, newValue: '237' }] }],
        propertyPairs: [],
        domain: 'transaction',
        format,
      },
    });
    await unknown.find(`[data-seq="${entries[0]!.seq}"]`).trigger('click');
    expect(unknown.find('[data-test="entry-detail"]').text()).toContain('Person #237');
  });
});

describe('entries that need a decision', () => {
  it('open the person panel for a person, never for a booking id', async () => {
    const { execution, entries } = await bookingRun();
    const failed: LogEntry = { ...entries.find((e) => e.ctId !== null)!, state: 'failed', error: { key: 'error.unexpected', args: { detail: 'x' } } };
    const format = (system: SystemId, field: string, value: Parameters<typeof formatValue>[2]) => formatValue(system, field, value, 'de', { persons });
    const bookings = mountWithApp(ExecutionReport, { props: { execution, entries: [failed], propertyPairs: [], domain: 'transaction', format, persons } });
    expect(bookings.findAll('.os-report__inspect')).toHaveLength(0);
    const people = mountWithApp(ExecutionReport, { props: { execution, entries: [failed], propertyPairs: [], domain: 'person', format } });
    expect(people.find('.os-report__inspect').attributes('href')).toBe(`/person/${failed.ctId}?connection=${execution.connectionId}`);
  });
});

describe('blockers name the person', () => {
  it('lists every unlinked donor by name, with "Person #id" where no one has read the person', () => {
    const blockers: Message[] = [
      { key: 'blocker.preflight.donorNotLinked', args: { system: 'optigem', donor: '5', booking: '2026-01-01 · 50,00 €', bookings: 10 } },
      { key: 'blocker.preflight.donorNotLinked', args: { system: 'churchtools', donor: '237', booking: 'Beleg 1', bookings: 2 } },
    ];
    const wrapper = mountWithApp(BlockerGroups, { props: { blockers, jobId: 'j1', connectionId: 'c1', domain: 'transaction', persons } });
    const items = wrapper.findAll('[data-group="donors"] li').map((li) => li.text());
    expect(items[0]).toContain('Spender Bauer, Emma (#5) aus Optigem ist mit keiner Person verknüpft');
    expect(items[1]).toContain('Spender Person #237 aus ChurchTools');
    expect(wrapper.text()).not.toMatch(/Spender \d/);
  });

  it('the CLI prints the same names', () => {
    const blocker: Message = { key: 'blocker.preflight.donorNotLinked', args: { system: 'optigem', donor: '7', booking: 'B', bookings: 1 } };
    expect(formatMessage(blocker, 'en', undefined, 'transaction', persons)).toContain('Donor Muster, Max und Erika (#7) from Optigem is not linked');
  });
});

describe('the module names what it has read', () => {
  it('persons from the records store and accounts and cost centres of the job\'s fiscal year', async () => {
    const twins = createTwins();
    const connections = useConnectionsStore();
    const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
    await connections.saveToken(id, 'secret-token-1234');
    twins.ct.add({ id: '237', properties: { firstName: 'Emma', lastName: 'Bauer' } });
    twins.og.add({ id: '1132', properties: { Vorname: 'Michael', Nachname: 'von Buelow' } });
    const Probe = defineComponent({
      setup() {
        const format = useValueFormatter(
          () => id,
          () => ({ fiscalYear: '2026' }),
        );
        void useValueNames()(id, [], 'transaction', { fiscalYear: '2026' });
        return () =>
          h('p', [
            [
              format('churchtools', 'donor', '237'),
              format('optigem', 'donor', '1132'),
              format('churchtools', 'contraAccount', '8000'),
              format('churchtools', 'costCenter', '20'),
              format('optigem', 'debitAccount', '1200'),
              format('optigem', 'project', '10'),
            ].join(' | '),
          ]);
      },
    });
    const wrapper = mount(Probe, { global: { plugins: [createSyncI18n('de'), twins.pinia] } });
    await flushPromises();
    await flushPromises();
    expect(plain(wrapper.text())).toBe('Bauer, Emma (#237) | von Buelow, Michael (#1132) | 8000 Spenden | 20 Mission | 1200 Bank | 10 Gemeinde');
  });
});
