// @vitest-environment happy-dom
// The admin's setting "Anfragen pro Minute an ChurchTools" (issue 12 §6): the default and the
// ceiling are explained where it is set; a pace above ChurchTools' limit, below 1 or not whole is
// refused with the reason and changes nothing; a valid one is stored in this browser and read
// back by the next mount.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE } from '../../src/churchtools/http/pacer.ts';
import PaceSetting from '../../src/extension/components/PaceSetting.vue';
import { createSyncI18n } from '../../src/extension/i18n/index.ts';
import { PACE_STORAGE_KEY, checkPace, loadPace } from '../../src/extension/services/pace.ts';
import { usePaceStore } from '../../src/extension/stores/pace.ts';
import AdminView from '../../src/extension/views/AdminView.vue';
import ConnectionsView from '../../src/extension/views/ConnectionsView.vue';
import { mountAt } from './ui-mount.ts';
import { createTwins } from './ui-twins.ts';

function mountSetting(locale: 'de' | 'en' = 'de') {
  const twins = createTwins();
  const view = mount(PaceSetting, { global: { plugins: [createSyncI18n(locale), twins.pinia] } });
  return { view, pace: usePaceStore(twins.pinia) };
}

async function enter(view: ReturnType<typeof mountSetting>['view'], value: string): Promise<void> {
  await view.find('[data-test="pace-input"]').setValue(value);
  await view.find('form').trigger('submit');
}

afterEach(() => localStorage.clear());

describe('pace setting', () => {
  it('shows the default of 300 and explains the ceiling of 600 with ChurchTools\' limit per internet address', () => {
    const { view } = mountSetting();
    expect(view.find('label').text()).toBe('Anfragen pro Minute an ChurchTools');
    const input = view.find<HTMLInputElement>('[data-test="pace-input"]');
    expect(input.element.value).toBe('300');
    expect(input.attributes('max')).toBe(String(CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE));
    const help = view.text();
    expect(help).toContain('Standard 300');
    expect(help).toContain('Höchstens 600');
    expect(help).toContain('etwa 600 Anfragen pro Minute an, gezählt für alle hinter derselben Adresse');
    expect(help).toContain('(429)');
    expect(help).toContain('die Option --pace und die Konfiguration der Bridge');
    view.unmount();
  });

  it('refuses 601, 0 and 12.5 with the reason, stores nothing and keeps the pace', async () => {
    const { view, pace } = mountSetting();
    for (const [value, reason] of [
      ['601', 'Höchstens 600: mehr nimmt ChurchTools nicht an. Nichts wurde geändert.'],
      ['0', 'Mindestens 1 Anfrage pro Minute. Nichts wurde geändert.'],
      ['12.5', 'Bitte eine ganze Zahl eingeben. Nichts wurde geändert.'],
      ['', 'Bitte eine ganze Zahl eingeben. Nichts wurde geändert.'],
    ] as const) {
      await enter(view, value);
      const problem = view.find('[data-test="pace-problem"]');
      expect(problem.attributes('role'), value).toBe('alert');
      expect(problem.text(), value).toBe(reason);
      expect(view.find('[data-test="pace-input"]').attributes('aria-invalid'), value).toBe('true');
      expect(localStorage.getItem(PACE_STORAGE_KEY), value).toBeNull();
      expect(pace.requestsPerMinute, value).toBe(300);
    }
    view.unmount();
  });

  it('stores the ceiling itself and any whole pace below it; the next mount starts with it', async () => {
    const { view, pace } = mountSetting();
    await enter(view, '600');
    expect(localStorage.getItem(PACE_STORAGE_KEY)).toBe('600');
    await enter(view, '120');
    expect(view.find('[data-test="pace-problem"]').exists()).toBe(false);
    expect(view.find('[data-test="pace-status"]').text()).toBe('Gespeichert: 120 Anfragen pro Minute, gilt ab der nächsten Anfrage.');
    expect(localStorage.getItem(PACE_STORAGE_KEY)).toBe('120');
    expect(pace.requestsPerMinute).toBe(120);
    view.unmount();

    const again = mountSetting();
    expect(again.view.find<HTMLInputElement>('[data-test="pace-input"]').element.value).toBe('120');
    again.view.unmount();
  });

  it('reads a stored pace that is not valid (edited by hand, older version) as the default', () => {
    for (const stored of ['601', '0', '-5', '1.5', 'schnell', '']) {
      localStorage.setItem(PACE_STORAGE_KEY, stored);
      expect(loadPace(), stored).toBe(300);
    }
    expect(checkPace(CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE)).toEqual({ ok: true, value: 600 });
    expect(checkPace('45')).toEqual({ ok: true, value: 45 });
  });

  it('speaks English too', async () => {
    const { view } = mountSetting('en');
    expect(view.find('label').text()).toBe('Requests per minute to ChurchTools');
    expect(view.text()).toContain('Default 300');
    await enter(view, '700');
    expect(view.find('[data-test="pace-problem"]').text()).toBe('At most 600: ChurchTools accepts no more. Nothing was changed.');
    view.unmount();
  });

  it('is on the admin page and, for today\'s loading without one, on the connections page', async () => {
    const twins = createTwins();
    const admin = mount(AdminView, { global: { plugins: [createSyncI18n('de'), twins.pinia] } });
    expect(admin.find('[data-test="pace-setting"] h3').text()).toBe('Tempo gegenüber ChurchTools');
    admin.unmount();
    const connections = await mountAt(ConnectionsView, '/connections', twins);
    expect(connections.find('[data-test="pace-setting"] label').text()).toBe('Anfragen pro Minute an ChurchTools');
    connections.unmount();
  });
});
