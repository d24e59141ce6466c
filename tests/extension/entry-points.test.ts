// @vitest-environment happy-dom
// Entry points of the coming format and the legacy start on #app.
import { flushPromises } from '@vue/test-utils';
import { ChurchToolsClient } from '@churchtools/churchtools-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CtUser, EntryPoint, MainModuleData } from '../../src/extension/contracts.ts';
import { EventBus } from '../../src/extension/entry-points.ts';
import {
  admin,
  autoMountLegacy,
  getAvailableEntryPoints,
  loadEntryPoint,
  loadedByScriptTag,
  main,
  renderExtension,
} from '../../src/extension/main.ts';

const client = new ChurchToolsClient('http://ct.invalid');
const user: CtUser = { id: 1, firstName: 'Erika', lastName: 'Muster' };

function hostDiv(id: string): HTMLElement {
  const element = document.createElement('div');
  element.id = id;
  document.body.appendChild(element);
  return element;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('loading the bundle', () => {
  it('does not mount anything when imported (no script tag of its own)', () => {
    expect(loadedByScriptTag()).toBe(false);
  });

  it('recognises its own script tag, ignoring a query string', () => {
    // An inert document: happy-dom would try to load the script in the live one.
    const page = document.implementation.createHTMLDocument('ChurchTools');
    const base = page.createElement('base');
    base.href = 'http://ct.example/';
    page.head.appendChild(base);
    const script = page.createElement('script');
    script.type = 'module';
    script.setAttribute('src', '/ccm/optigem-sync/assets/optigem-sync.js?v=2');
    page.head.appendChild(script);
    expect(loadedByScriptTag('http://ct.example/ccm/optigem-sync/assets/optigem-sync.js', page)).toBe(true);
    expect(loadedByScriptTag('http://ct.example/ccm/other/assets/index.js', page)).toBe(false);
  });

  it('mounts once on #app in legacy mode', async () => {
    const app = hostDiv('app');
    const unmount = autoMountLegacy();
    await flushPromises();
    expect(unmount).toBeTypeOf('function');
    expect(app.querySelector('.optigem-sync nav')).not.toBeNull();
    expect(autoMountLegacy()).toBeUndefined();
    unmount?.();
  });

  it('warns instead of failing when the page has no #app', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(autoMountLegacy()).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});

/** Waiting for a lazy view: the first import of its module compiles it, on a busy machine too. */
const LAZY_VIEW = { timeout: 30_000, interval: 20 };

describe('entry points', () => {
  it('lists main and admin and loads them by name', async () => {
    expect(getAvailableEntryPoints()).toEqual(['main', 'admin']);
    await expect(loadEntryPoint('main')).resolves.toBe(main);
    await expect(loadEntryPoint('admin')).resolves.toBe(admin);
    await expect(loadEntryPoint('finance-tab')).rejects.toThrow(/unknown entry point "finance-tab"/);
    await expect(loadEntryPoint('toString')).rejects.toThrow(/unknown entry point/);
  });

  it('renders main on the host route and cleans up on destroy', async () => {
    const element = hostDiv('ct-extension');
    const data: MainModuleData = { userId: 1, context: { route: '/jobs' } };
    const instance = await renderExtension('ct-extension', await loadEntryPoint('main'), data, { user, churchtoolsClient: client });
    // The jobs view is a lazy chunk: it renders once its module has loaded.
    await vi.waitFor(() => expect(element.querySelector('.optigem-sync .os-layout__content h2')?.textContent).toBe('Aufträge'), LAZY_VIEW);
    await instance.destroy();
    await instance.destroy();
    expect(element.innerHTML).toBe('');
  });

  it('renders admin', async () => {
    const element = hostDiv('ct-admin');
    const instance = await renderExtension('ct-admin', admin, {}, { user, churchtoolsClient: client });
    await flushPromises();
    expect(element.querySelector('.optigem-sync[data-entry-point="admin"] h2')?.textContent).toBe('Optigem-Sync: Einstellungen');
    await instance.destroy();
  });

  it('follows the language of the user ChurchTools hands in', async () => {
    const element = hostDiv('ct-en');
    const instance = await renderExtension('ct-en', main, {}, { user: { ...user, language: 'en' }, churchtoolsClient: client });
    await flushPromises();
    expect(element.querySelector('nav a')?.textContent?.trim()).toBe('Overview');
    await instance.destroy();
  });

  it('wires events both ways', async () => {
    hostDiv('ct-events');
    const received: unknown[] = [];
    const probe: EntryPoint<{ greeting: string }> = ({ on, emit, data, KEY }) => {
      on('appointment:changed', (payload) => {
        received.push(payload);
        emit('notification:show', { message: `${data.greeting} from ${KEY}`, type: 'info' });
      });
    };
    const notifications: unknown[] = [];
    const instance = await renderExtension('ct-events', probe, { greeting: 'hello' }, { user, churchtoolsClient: client });
    instance.on('notification:show', (payload) => notifications.push(payload));
    instance.emit('appointment:changed', { id: 5 });
    expect(received).toEqual([{ id: 5 }]);
    expect(notifications).toEqual([{ message: 'hello from optigem-sync', type: 'info' }]);
    await instance.destroy();
    instance.emit('appointment:changed', { id: 6 });
    expect(received).toEqual([{ id: 5 }]);
  });

  it('fails clearly when the element does not exist', async () => {
    await expect(renderExtension('missing', main, {}, { user, churchtoolsClient: client })).rejects.toThrow(/no element with id "missing"/);
  });
});

describe('EventBus', () => {
  it('keeps calling the other handlers when one throws, and supports off', () => {
    const bus = new EventBus();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const calls: string[] = [];
    const second = () => calls.push('second');
    bus.on('x', () => {
      throw new Error('boom');
    });
    bus.on('x', second);
    bus.emit('x');
    bus.off('x', second);
    bus.emit('x');
    expect(calls).toEqual(['second']);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });
});
