// @vitest-environment happy-dom
// The app shell: German navigation by default, English after switching, routing, unmount.
import { flushPromises } from '@vue/test-utils';
import { ChurchToolsClient } from '@churchtools/churchtools-client';
import { nextTick } from 'vue';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSyncApp, mountSyncApp } from '../../src/extension/mount.ts';

const GERMAN_NAV = ['Übersicht', 'Verbindungen', 'Aufträge', 'Ausführungen', 'Paare', 'Person prüfen'];
const ENGLISH_NAV = ['Overview', 'Connections', 'Jobs', 'Executions', 'Pairs', 'Check person'];

// A real client that is never asked anything: the shell makes no requests.
const client = new ChurchToolsClient('http://ct.invalid');
const cleanups: (() => void)[] = [];

function host(): HTMLElement {
  const element = document.createElement('div');
  document.body.appendChild(element);
  cleanups.push(() => element.remove());
  return element;
}

function navLabels(root: ParentNode): string[] {
  return Array.from(root.querySelectorAll('nav a')).map((a) => a.textContent?.trim() ?? '');
}

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Waiting for a lazy view: the first import of its module compiles it, on a busy machine too. */
const LAZY_VIEW = { timeout: 30_000, interval: 20 };

describe('app shell', () => {
  it('renders the German navigation under the .optigem-sync root', async () => {
    const element = host();
    cleanups.push(mountSyncApp(element, { entryPoint: 'main', history: 'memory', churchtoolsClient: client }));
    await flushPromises();

    const root = element.querySelector('.optigem-sync');
    expect(root).not.toBeNull();
    expect(root?.getAttribute('lang')).toBe('de');
    expect(navLabels(element)).toEqual(GERMAN_NAV);
    expect(element.querySelector('nav')?.getAttribute('aria-label')).toBe('Bereiche des Sync-Moduls');
    expect(element.querySelector('h1')?.textContent).toBe('Optigem-Sync');
    expect(element.querySelector('.os-layout__content h2')?.textContent).toBe('Übersicht');
    expect(element.querySelector('nav a[aria-current="page"]')?.textContent?.trim()).toBe('Übersicht');
  });

  it('switches to English when the locale changes', async () => {
    const element = host();
    const { app, i18n, router } = createSyncApp({ entryPoint: 'main', history: 'memory', churchtoolsClient: client });
    app.mount(element);
    cleanups.push(() => app.unmount());
    await router.isReady();
    expect(navLabels(element)).toEqual(GERMAN_NAV);

    i18n.global.locale.value = 'en';
    await nextTick();
    expect(navLabels(element)).toEqual(ENGLISH_NAV);
    expect(element.querySelector('.os-layout__content h2')?.textContent).toBe('Overview');
    expect(element.querySelector('.optigem-sync')?.getAttribute('lang')).toBe('en');
  });

  it('starts in English when asked to', async () => {
    const element = host();
    cleanups.push(mountSyncApp(element, { entryPoint: 'main', history: 'memory', locale: 'en-GB', churchtoolsClient: client }));
    await flushPromises();
    expect(navLabels(element)).toEqual(ENGLISH_NAV);
  });

  it('navigates between the placeholder views', async () => {
    const element = host();
    const { app, router } = createSyncApp({ entryPoint: 'main', history: 'memory', churchtoolsClient: client });
    app.mount(element);
    cleanups.push(() => app.unmount());
    await router.isReady();

    const jobsLink = Array.from(element.querySelectorAll<HTMLAnchorElement>('nav a')).find((a) => a.textContent?.trim() === 'Aufträge');
    jobsLink?.click();
    // The jobs view is a lazy chunk: the navigation ends once its module has loaded.
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('jobs'), LAZY_VIEW);
    await flushPromises();
    expect(element.querySelector('.os-layout__content h2')?.textContent).toBe('Aufträge');

    for (const [path, heading] of [
      ['/connections', 'Verbindungen'],
      ['/executions', 'Ausführungen'],
      ['/pairs', 'Paare'],
      ['/person-check', 'Person prüfen'],
      ['/does-not-exist', 'Seite nicht gefunden'],
    ] as const) {
      await router.push(path);
      await flushPromises();
      expect(element.querySelector('.os-layout__content h2')?.textContent, path).toBe(heading);
    }
  });

  it('says so when a view cannot be loaded (e.g. an update replaced its chunk) and forgets it after the next navigation', async () => {
    const element = host();
    const { app, router } = createSyncApp({ entryPoint: 'main', history: 'memory', churchtoolsClient: client });
    app.mount(element);
    cleanups.push(() => app.unmount());
    await router.isReady();
    const gone = new TypeError('Failed to fetch dynamically imported module: http://ct.example/ccm/optigem-sync/assets/JobsView-0ld0ld0l.js');
    router.addRoute({ path: '/gone', name: 'gone', component: () => Promise.reject(gone) });

    await expect(router.push('/gone')).rejects.toBe(gone);
    await flushPromises();
    const alert = element.querySelector('[data-test="view-load-failed"]');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toContain('Dieser Bereich konnte nicht geladen werden');
    expect(alert?.textContent).toContain('Seite neu laden');
    expect(alert?.querySelector('[data-test="technical-details"]')?.textContent).toContain('JobsView-0ld0ld0l.js');
    expect(router.currentRoute.value.name).toBe('overview');

    await router.push('/does-not-exist');
    await flushPromises();
    expect(element.querySelector('[data-test="view-load-failed"]')).toBeNull();
  });

  it('opens the route it is given', async () => {
    const element = host();
    cleanups.push(
      mountSyncApp(element, { entryPoint: 'main', history: 'memory', initialRoute: '/pairs', churchtoolsClient: client }),
    );
    await vi.waitFor(() => expect(element.querySelector('.os-layout__content h2')?.textContent).toBe('Paare'), LAZY_VIEW);
  });

  it('renders the admin page without the module navigation', async () => {
    const element = host();
    cleanups.push(mountSyncApp(element, { entryPoint: 'admin', churchtoolsClient: client }));
    await flushPromises();
    expect(element.querySelector('nav')).toBeNull();
    expect(element.querySelector('h2')?.textContent).toBe('Optigem-Sync: Einstellungen');
    expect(element.querySelector('.optigem-sync')?.getAttribute('data-entry-point')).toBe('admin');
  });

  it('leaves the host element empty after unmount', async () => {
    const element = host();
    element.setAttribute('data-host', 'kept');
    const unmount = mountSyncApp(element, { entryPoint: 'main', history: 'memory', churchtoolsClient: client });
    await flushPromises();
    expect(element.children.length).toBe(1);
    unmount();
    unmount(); // twice is harmless
    expect(element.children.length).toBe(0);
    expect(element.getAttribute('data-host')).toBe('kept');
  });
});
