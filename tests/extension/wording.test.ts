// @vitest-environment happy-dom
// Two wording defects of issue #15: the property pairs page showed internal keys ("Schlüssel fn"),
// and the generic error fallback put raw technical or English text in the main message.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import ErrorAlert from '../../src/extension/components/ErrorAlert.vue';
import { toUiError } from '../../src/extension/stores/backend.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { useOptionsStore } from '../../src/extension/stores/options.ts';
import { usePropertyPairsStore } from '../../src/extension/stores/property-pairs.ts';
import PropertyPairsView from '../../src/extension/views/PropertyPairsView.vue';
import { mountAt, mountWithApp } from './ui-mount.ts';
import { createTwins } from './ui-twins.ts';

describe('errors without a translation of their own', () => {
  const cases = [
    ['a thrown error', toUiError(new Error('Cannot reach http://127.0.0.1:9/v1/meta: connect ECONNREFUSED'))],
    ['a port error code no catalogue lists', { key: 'error.bridgeTokenForeign', args: { detail: 'The token is not valid for this bridge' } }],
  ] as const;

  for (const [what, error] of cases) {
    it(`say what to do in the user's language and keep the original text behind "Technische Details": ${what}`, () => {
      const wrapper = mountWithApp(ErrorAlert, { props: { error } });
      const main = wrapper.find('.os-error-alert__text').text();
      expect(main).toBe('Das hat nicht geklappt. Bitte erneut versuchen; bleibt der Fehler, helfen die technischen Details dem Support.');
      const details = wrapper.find('[data-test="technical-details"]');
      expect(details.find('summary').text()).toBe('Technische Details');
      expect(details.text()).toContain(String(error.args['detail']));
      expect(main).not.toContain(String(error.args['detail']));
    });
  }
});

describe('property pairs page', () => {
  it('names each pair by its properties\' labels and shows no internal key', async () => {
    const twins = createTwins();
    const connections = useConnectionsStore();
    const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
    await connections.saveToken(id, 'secret-token-1234');
    await useOptionsStore().loadMeta(id);
    const pp = usePropertyPairsStore();
    await pp.open(id);
    await pp.addDefaults('person');
    expect(await pp.save()).toBe(true);
    const wrapper = await mountAt(PropertyPairsView, `/connections/${id}/properties`, twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-pair="fn"]').exists()).toBe(true);
    });
    const first = wrapper.find('[data-pair="fn"]');
    expect(first.attributes('aria-label')).toBe('Vorname ↔ Vorname');
    expect(wrapper.text()).not.toMatch(/Schlüssel|\bfn\b|\bstat\b/);
    // Job documents name pairs by key: it stays findable, in the heading's tooltip.
    expect(first.find('h4').attributes('title')).toContain('fn');
  });
});
