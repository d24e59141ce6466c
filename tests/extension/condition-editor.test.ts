// @vitest-environment happy-dom
// The condition editor: rows per system, a field and several values per row, and the sentence.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ConditionEditor from '../../src/extension/components/ConditionEditor.vue';
import type { Conditions, SystemId } from '../../src/sync/model.ts';
import { mountWithApp } from './ui-mount.ts';

const OPTIONS: Record<string, { id: string; name: string }[]> = {
  statusId: [
    { id: '1', name: 'Mitglied' },
    { id: '2', name: 'Freund' },
  ],
  familyStatusId: [{ id: '2', name: 'verheiratet' }],
  Kategorien: [{ id: '150', name: '150: Mitglieder' }],
};
const optionsFor = (_system: SystemId, field: string) => OPTIONS[field] ?? [];

function mountEditor(conditions: Conditions) {
  return mountWithApp(ConditionEditor, { props: { modelValue: conditions, optionsFor } });
}

function last(wrapper: ReturnType<typeof mountEditor>): Conditions {
  const events = wrapper.emitted('update:modelValue') ?? [];
  return events[events.length - 1]![0] as Conditions;
}

describe('ConditionEditor', () => {
  it('explains "no conditions" as all people on both sides', () => {
    const wrapper = mountEditor({ churchtools: [], optigem: [] });
    expect(wrapper.find('.os-conditions__sentence').text()).toBe(
      'Dieser Auftrag berücksichtigt in ChurchTools alle Personen und in Optigem alle Personen.',
    );
  });

  it('adds a row with a field dropdown and chooses several values (OR) from the multi-value dropdown', async () => {
    const wrapper = mountEditor({ churchtools: [], optigem: [] });
    await wrapper.findAll('button').find((b) => b.text() === 'Bedingung hinzufügen')!.trigger('click');
    expect(last(wrapper).churchtools).toEqual([{ field: 'statusId', values: [] }]);

    await wrapper.setProps({ modelValue: last(wrapper) });
    const row = wrapper.find('[data-system="churchtools"]');
    expect(row.find('select').element.value).toBe('statusId');
    await row.find('.os-multi__button').trigger('click');
    const boxes = row.findAll('input[type="checkbox"]');
    expect(boxes.map((b) => b.element.parentElement?.textContent?.trim())).toEqual(['Mitglied', 'Freund']);
    await boxes[0]!.setValue(true);
    await wrapper.setProps({ modelValue: last(wrapper) });
    await wrapper.find('[data-system="churchtools"] input[type="checkbox"]:not(:checked)').setValue(true);
    expect(last(wrapper).churchtools).toEqual([{ field: 'statusId', values: ['1', '2'] }]);
  });

  it('names the system in the label of each condition field', () => {
    const wrapper = mountEditor({ churchtools: [{ field: 'statusId', values: [] }], optigem: [{ field: 'Kategorien', values: [] }] });
    const labels = wrapper.findAll('select:not([data-yes-no])').map((select) => select.attributes('aria-label'));
    expect(labels).toEqual(['Feld in ChurchTools (Bedingung 1)', 'Feld in Optigem (Bedingung 1)']);
  });

  it('describes AND across rows and OR within a row in one sentence', async () => {
    const wrapper = mountEditor({
      churchtools: [
        { field: 'statusId', values: ['1', '2'] },
        { field: 'familyStatusId', values: ['2'] },
      ],
      optigem: [{ field: 'Kategorien', values: ['150'] }],
    });
    await flushPromises();
    expect(wrapper.find('.os-conditions__sentence').text()).toBe(
      'Dieser Auftrag berücksichtigt in ChurchTools Personen, bei denen Status „Mitglied“ oder „Freund“ ist und Familienstand „verheiratet“ ist ' +
        'und in Optigem Personen, bei denen Kategorien „150: Mitglieder“ ist.',
    );
    expect(wrapper.findAll('.os-conditions__and').map((s) => s.text())).toEqual(['und']);
  });

  it('starts a row afresh when its field changes, and removes rows', async () => {
    const wrapper = mountEditor({ churchtools: [{ field: 'statusId', values: ['1'] }], optigem: [] });
    await wrapper.find('[data-system="churchtools"] select').setValue('familyStatusId');
    expect(last(wrapper).churchtools).toEqual([{ field: 'familyStatusId', values: [] }]);
    await wrapper.find('[data-system="churchtools"] button[aria-label^="Bedingung"]').trigger('click');
    expect(last(wrapper).churchtools).toEqual([]);
  });
});
