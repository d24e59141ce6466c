// @vitest-environment happy-dom
// Value mapping of an enumerated property pair: "apply all" on equal names, completeness with
// the missing values by name, and the fallback.
import { describe, expect, it } from 'vitest';
import ValueMappingTable from '../../src/extension/components/ValueMappingTable.vue';
import { applyAll, completeness, nameKey } from '../../src/extension/services/value-mapping.ts';
import type { ValueMapping } from '../../src/sync/model.ts';
import { mountWithApp } from './ui-mount.ts';

const STATUSES = [
  { id: '1', name: 'Mitglied' },
  { id: '2', name: 'Freund' },
  { id: '3', name: 'Gast' },
  { id: '4', name: 'Optigem' },
];
const CATEGORIES = [
  { id: '150', name: '150: Mitglieder' },
  { id: '160', name: '160: Freunde' },
  { id: '170', name: '170: Gäste' },
  { id: '300', name: '300: Rundbrief' },
];
const EMPTY: ValueMapping = { entries: [], fallback: { kind: 'block' } };

describe('apply all (pure)', () => {
  it('compares names without number prefix, case, umlauts and a German plural ending', () => {
    expect(nameKey('150: Mitglieder')).toBe(nameKey('Mitglied'));
    expect(nameKey('Gäste')).toBe(nameKey('gast'));
    expect(nameKey('Gaeste')).toBe(nameKey('Gäste'));
    expect(nameKey('Freunde')).toBe(nameKey('FREUND'));
    expect(nameKey('Rundbrief')).not.toBe(nameKey('Mitglied'));
  });

  it('pairs equal names once and keeps what the admin mapped', () => {
    const mapped = applyAll({ entries: [{ churchtools: '4', optigem: '300' }], fallback: { kind: 'skip' } }, STATUSES, CATEGORIES);
    expect(mapped.entries).toEqual([
      { churchtools: '4', optigem: '300' },
      { churchtools: '1', optigem: '150' },
      { churchtools: '2', optigem: '160' },
      { churchtools: '3', optigem: '170' },
    ]);
    expect(mapped.fallback).toEqual({ kind: 'skip' });
  });

  it('leaves ambiguous names alone', () => {
    const twice = [...CATEGORIES, { id: '151', name: '151: Mitglieder' }];
    expect(applyAll(EMPTY, STATUSES, twice).entries.map((e) => e.churchtools)).toEqual(['2', '3']);
  });

  it('matches Optigem gender codes through their aliases', () => {
    const genders = [
      { id: 'male', name: 'male', aliases: ['männlich'] },
      { id: 'female', name: 'female', aliases: ['weiblich'] },
    ];
    const sexes = [
      { id: '0', name: 'unbekannt' },
      { id: '1', name: 'männlich' },
      { id: '2', name: 'weiblich' },
    ];
    const mapped = applyAll(EMPTY, sexes, genders);
    expect(mapped.entries).toEqual([
      { churchtools: '1', optigem: 'male' },
      { churchtools: '2', optigem: 'female' },
    ]);
    // Both sides single-valued: every value of both counts.
    expect(completeness(mapped, { churchtools: sexes, optigem: genders }, { churchtools: false, optigem: false })).toMatchObject({ total: 5, mapped: 4 });
  });
});

describe('ValueMappingTable', () => {
  function mountTable(modelValue: ValueMapping) {
    return mountWithApp(ValueMappingTable, {
      props: {
        modelValue,
        churchtoolsOptions: STATUSES,
        optigemOptions: CATEGORIES,
        multi: { churchtools: false, optigem: true },
        churchtoolsField: 'Status',
        optigemField: 'Kategorien',
      },
    });
  }

  function last(wrapper: ReturnType<typeof mountTable>): ValueMapping {
    const events = wrapper.emitted('update:modelValue') ?? [];
    return events[events.length - 1]![0] as ValueMapping;
  }

  it('shows one row per ChurchTools value and how much is mapped', () => {
    const wrapper = mountTable(EMPTY);
    expect(wrapper.findAll('tbody th').map((th) => th.text())).toEqual(['Mitglied', 'Freund', 'Gast', 'Optigem']);
    expect(wrapper.find('.os-completeness__text').text()).toBe('0 von 4 Werten zugeordnet');
    expect(wrapper.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('0');
    expect(wrapper.find('[data-test="missing"]').text()).toContain('Mitglied (ChurchTools), Freund (ChurchTools), Gast (ChurchTools), Optigem (ChurchTools)');
    expect(wrapper.find('[data-test="missing"]').classes()).toContain('os-error');
  });

  it('"Alle zuordnen" maps equal names; the rest is named as missing, blocking under "block job"', async () => {
    const wrapper = mountTable(EMPTY);
    await wrapper.findAll('button').find((b) => b.text() === 'Alle zuordnen')!.trigger('click');
    const mapped = last(wrapper);
    expect(mapped.entries).toHaveLength(3);
    await wrapper.setProps({ modelValue: mapped });
    expect(wrapper.find('.os-completeness__text').text()).toBe('3 von 4 Werten zugeordnet');
    expect((wrapper.find('tr[data-value="1"] select').element as HTMLSelectElement).value).toBe('150');
    expect(wrapper.find('[data-test="missing"]').text()).toBe(
      'Nicht zugeordnet: Optigem (ChurchTools). Mit dem Ersatz „Auftrag blockieren“ kann kein Auftrag mit diesem Paar laufen.',
    );
    expect(wrapper.text()).toContain('Nicht verwaltet (bleiben unverändert): 300: Rundbrief');

    // Mapping the last value by hand completes it.
    await wrapper.find('tr[data-value="4"] select').setValue('300');
    await wrapper.setProps({ modelValue: last(wrapper) });
    expect(wrapper.find('.os-completeness__text').text()).toBe('4 von 4 Werten zugeordnet');
    expect(wrapper.find('[data-test="missing"]').exists()).toBe(false);
  });

  it('switches the fallback; a covered gap is no longer blocking', async () => {
    const wrapper = mountTable({ entries: [{ churchtools: '1', optigem: '150' }], fallback: { kind: 'block' } });
    const radios = wrapper.findAll('input[type="radio"]');
    await radios[1]!.setValue(true);
    expect(last(wrapper).fallback).toEqual({ kind: 'skip' });
    await wrapper.setProps({ modelValue: last(wrapper) });
    expect(wrapper.find('[data-test="missing"]').classes()).toContain('os-muted');
    expect(wrapper.find('[data-test="missing"]').text()).toContain('Für sie greift der Ersatz.');

    await radios[2]!.setValue(true);
    expect(last(wrapper).fallback).toEqual({ kind: 'fixed', churchtools: null, optigem: null });
  });
});
