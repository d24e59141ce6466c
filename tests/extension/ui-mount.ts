// Mounting helpers for component tests: the app's own i18n (German) and router.
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import type { Component } from 'vue';
import { createSyncI18n } from '../../src/extension/i18n/index.ts';
import { createSyncRouter } from '../../src/extension/router/index.ts';
import type { Twins } from './ui-twins.ts';

export function mountWithApp<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}, twins?: Twins) {
  const i18n = createSyncI18n('de');
  const router = createSyncRouter('main', 'memory');
  return mount(component, {
    ...options,
    global: { plugins: [i18n, router, ...(twins ? [twins.pinia] : [])], ...(options.global ?? {}) },
  } as ComponentMountingOptions<C>);
}

/** Mounts a view with the router already at `path` (views read their ids from the route). */
export async function mountAt<C extends Component>(component: C, path: string, twins: Twins, locale: 'de' | 'en' = 'de') {
  const i18n = createSyncI18n(locale);
  const router = createSyncRouter('main', 'memory');
  await router.push(path);
  await router.isReady();
  return mount(component, { global: { plugins: [i18n, router, twins.pinia] } } as ComponentMountingOptions<C>);
}
