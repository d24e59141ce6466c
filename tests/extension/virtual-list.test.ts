// @vitest-environment happy-dom
// The virtualised list renders only the rows in view, whatever the length of the list.
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import VirtualList from '../../src/extension/components/VirtualList.vue';
import { mountWithApp } from './ui-mount.ts';

const ROWS = Array.from({ length: 30_000 }, (_, i) => `Paar ${i}`);

const Host = defineComponent({
  props: { rows: { type: Array as () => string[], required: true } },
  setup(props) {
    return () =>
      h(
        VirtualList,
        { count: props.rows.length, rowHeight: 20, height: 200, overscan: 5, label: 'Paare', itemKey: (i: number) => i },
        { default: ({ index }: { index: number }) => h('span', { class: 'os-row' }, props.rows[index]) },
      );
  },
});

async function scrollTo(el: HTMLElement, top: number): Promise<void> {
  el.scrollTop = top;
  el.dispatchEvent(new Event('scroll'));
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('VirtualList', () => {
  it('renders the visible rows plus overscan, not 30,000', () => {
    const wrapper = mountWithApp(Host, { props: { rows: ROWS } });
    const rows = wrapper.findAll('.os-row');
    expect(rows.length).toBe(15); // 10 visible + 5 overscan below
    expect(rows[0]!.text()).toBe('Paar 0');
    expect(wrapper.find('.os-vlist__spacer').attributes('style')).toContain('height: 600000px');
    expect(wrapper.find('[role="list"]').attributes('aria-label')).toBe('Paare');
    expect(wrapper.find('[role="listitem"]').attributes('aria-setsize')).toBe('30000');
  });

  it('follows the scroll position', async () => {
    const wrapper = mountWithApp(Host, { props: { rows: ROWS }, attachTo: document.body });
    await scrollTo(wrapper.find('.os-vlist').element as HTMLElement, 20 * 15_000);
    const texts = wrapper.findAll('.os-row').map((r) => r.text());
    expect(texts).toContain('Paar 15000');
    expect(texts).toContain('Paar 15009');
    expect(texts).not.toContain('Paar 0');
    expect(texts.length).toBeLessThanOrEqual(20);
    const first = wrapper.find('[aria-posinset="15001"]');
    expect(first.attributes('style')).toContain('translateY(300000px)');
    wrapper.unmount();
  });

  it('shrinks to a short list and does not stay scrolled past its end', async () => {
    const wrapper = mountWithApp(Host, { props: { rows: ROWS }, attachTo: document.body });
    await scrollTo(wrapper.find('.os-vlist').element as HTMLElement, 20 * 1000);
    await wrapper.setProps({ rows: ['a', 'b', 'c'] });
    expect(wrapper.findAll('.os-row').map((r) => r.text())).toEqual(['a', 'b', 'c']);
    expect(wrapper.find('.os-vlist').attributes('style')).toContain('height: 60px');
    wrapper.unmount();
  });
});
