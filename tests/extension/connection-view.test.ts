// @vitest-environment happy-dom
// The connection form's setting "show the Optigem number on the person in ChurchTools": off by
// default, says what it costs, and what is stored (the runner reads it from there).
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import ConnectionView from '../../src/extension/views/ConnectionView.vue';
import { createTwins } from './ui-twins.ts';
import { mountAt } from './ui-mount.ts';

describe('connection form: Optigem number on ChurchTools persons', () => {
  it('is off by default, names its price, and stores the choice with its number per run', async () => {
    const twins = createTwins();
    const id = await useConnectionsStore().save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9' });
    const view = await mountAt(ConnectionView, `/connections/${id}`, twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(view.find('input[type="checkbox"]').exists()).toBe(true);
    });
    const box = view.find<HTMLInputElement>('input[type="checkbox"]');
    expect(box.element.checked).toBe(false);
    expect(view.text()).toContain('Kostet eine Anfrage an ChurchTools je verknüpfter Person');
    expect(view.find('input[type="number"]').exists()).toBe(false);

    await box.setValue(true);
    const perRun = view.find<HTMLInputElement>('input[type="number"]');
    expect(perRun.element.value).toBe('500');
    await perRun.setValue('200');
    await view.find('form').trigger('submit');
    await vi.waitFor(async () => {
      await flushPromises();
      expect((await twins.storage.connections.get(id))?.data.partnerNumbers).toEqual({ show: true, perRun: 200 });
    });
    view.unmount();
  });
});
