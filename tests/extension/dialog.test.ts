// @vitest-environment happy-dom
// Dialogs: Escape cancels and the focus returns to where it was; a disabled confirm button says why.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import OsConfirmDialog from '../../src/extension/components/OsConfirmDialog.vue';
import { useConfirmation } from '../../src/extension/composables/confirmation.ts';
import { mountWithApp } from './ui-mount.ts';

const Host = defineComponent({
  setup() {
    const { pending, ask } = useConfirmation();
    const answers: boolean[] = [];
    const open = async (requireText?: string) => answers.push(await ask({ title: 'Speichern?', message: 'Auftrag speichern', confirmLabel: 'Speichern', ...(requireText ? { requireText } : {}) }));
    return { pending, open, answers };
  },
  render() {
    return h('div', [h('button', { id: 'opener', onClick: () => this.open() }, 'Öffnen'), h(OsConfirmDialog, { request: this.pending })]);
  },
});

describe('confirmation dialog', () => {
  it('closes on Escape with "no" and gives the focus back to the button that opened it', async () => {
    const wrapper = mountWithApp(Host, { attachTo: document.body });
    const opener = wrapper.find('#opener');
    (opener.element as HTMLElement).focus();
    await opener.trigger('click');
    await nextTick();
    await nextTick();
    expect(wrapper.find('[role="dialog"]').exists()).toBe(true);
    expect(document.activeElement).not.toBe(opener.element);
    await wrapper.find('[role="dialog"]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.vm.answers).toEqual([false]);
    expect(wrapper.find('[role="dialog"]').exists()).toBe(false);
    expect(document.activeElement).toBe(opener.element);
    wrapper.unmount();
  });

  it('says why the confirm button is disabled', async () => {
    const wrapper = mountWithApp(Host, { attachTo: document.body });
    void wrapper.vm.open('12');
    await nextTick();
    await nextTick();
    const confirm = wrapper.find('[data-test="confirm"]');
    expect(confirm.attributes('disabled')).toBeDefined();
    expect(confirm.attributes('title')).toContain('12');
    wrapper.unmount();
  });
});
