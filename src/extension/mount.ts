// The one place that creates and mounts the Vue app. Both ways ChurchTools loads us end here:
// the legacy page (main.ts mounts on #app) and the entry points of the coming format
// (entry-points.ts), so the app never knows how it was loaded.
// First: configures zod before any schema module below is evaluated (see the file).
import './zod-config.ts';
import { createApp, type App as VueApp } from 'vue';
import { createPinia, type Pinia } from 'pinia';
import type { Router } from 'vue-router';
import type { ChurchToolsClient } from '@churchtools/churchtools-client';
import App from './App.vue';
import type { CtUser, EntryPointName } from './contracts.ts';
import { EXTENSION_KEY } from './constants.ts';
import { churchToolsClientKey, hostKey, noHost, type HostChannel } from './host.ts';
import { createSyncI18n, type SyncI18n } from './i18n/index.ts';
import { createSyncRouter, type HistoryMode } from './router/index.ts';
import { createBrowserBackend, type SyncBackend } from './services/backend.ts';
import { getChurchToolsClient } from './services/churchtools.ts';
import { loadPace } from './services/pace.ts';
import { detectLocale, resolveBaseUrl, userFromPage } from './services/settings.ts';
import { useBackendStore } from './stores/backend.ts';
import { useContextStore } from './stores/context.ts';
import { useViewLoadingStore } from './stores/view-loading.ts';
import './styles/extension.css';

export interface MountOptions {
  entryPoint: EntryPointName;
  /** ChurchTools instance URL; default `window.settings.base_url`, else the page origin. */
  baseUrl?: string;
  /** Client to use; default the shared one from services/churchtools.ts. */
  churchtoolsClient?: ChurchToolsClient;
  /** UI language (a language tag); default the user's ChurchTools language, else German. */
  locale?: string;
  /** The logged-in user when the host hands it over (entry points); default the page's copy. */
  user?: CtUser;
  /**
   * Router history. Default: hash for `main` (the legacy page owns /ccm/optigem-sync/ and a hash
   * keeps deep links working), memory for `admin` (the host owns the URL there).
   */
  history?: HistoryMode;
  /** Route to start on, e.g. from `MainModuleData.context.route`. */
  initialRoute?: string;
  /** Channel to ChurchTools in entry-point mode; none in legacy mode. */
  host?: HostChannel;
  /** What the stores talk to; default the real one over `churchtoolsClient` (tests pass twins). */
  backend?: SyncBackend;
}

export interface SyncApp {
  app: VueApp;
  router: Router;
  i18n: SyncI18n;
  pinia: Pinia;
}

/** Creates the app without mounting it (tests use this to reach router and i18n). */
export function createSyncApp(options: MountOptions): SyncApp {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const user = options.user ?? userFromPage();
  const client = options.churchtoolsClient ?? getChurchToolsClient(baseUrl);
  const history = options.history ?? (options.entryPoint === 'admin' ? 'memory' : 'hash');

  const app = createApp(App, { entryPoint: options.entryPoint });
  // useId() prefixes: main and admin may share a document; their ids must not collide.
  app.config.idPrefix = `${EXTENSION_KEY}-${options.entryPoint}`;

  const pinia = createPinia();
  const i18n = createSyncI18n(detectLocale({ explicit: options.locale, user }));
  const router = createSyncRouter(options.entryPoint, history);

  app.use(pinia);
  app.use(i18n);
  app.use(router);
  app.provide(hostKey, options.host ?? noHost);
  app.provide(churchToolsClientKey, client);
  useContextStore(pinia).init({ entryPoint: options.entryPoint, baseUrl, user });
  useBackendStore(pinia).use(options.backend ?? createBrowserBackend(client, user, { requestsPerMinute: loadPace() }));
  const viewLoading = useViewLoadingStore(pinia);
  router.onError((error) => viewLoading.failed(error));
  router.afterEach((_to, _from, failure) => {
    if (!failure) viewLoading.succeeded();
  });

  return { app, router, i18n, pinia };
}

/**
 * Mounts the Sync app into `element` and returns the unmount function.
 *
 * The app renders into a fresh child element, so the host's element (e.g. ChurchTools' #app)
 * keeps its own attributes and is left empty after unmount.
 */
export function mountSyncApp(element: Element, options: MountOptions): () => void {
  const { app, router } = createSyncApp(options);
  if (options.initialRoute) {
    // A bad route from the host must not stop the app: the catch-all route shows "not found".
    void router.replace(options.initialRoute).catch(() => undefined);
  }
  const container = element.ownerDocument.createElement('div');
  element.appendChild(container);
  app.mount(container);

  let mounted = true;
  return () => {
    if (!mounted) return;
    mounted = false;
    app.unmount();
    container.remove();
  };
}
