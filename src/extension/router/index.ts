// Routes of the Sync module.
//
// History: the extension shares ChurchTools' page (no iframe), and ChurchTools' own router owns
// the path. Hash history (/ccm/optigem-sync/#/jobs) keeps our routes out of its way, survives a
// reload and allows deep links; memory history is for places where the host owns the whole URL
// (entry points of the coming format, the admin page, tests).
import {
  createMemoryHistory,
  createRouter,
  createWebHashHistory,
  type RouteRecordRaw,
  type Router,
} from 'vue-router';
import type { EntryPointName } from '../contracts.ts';
import type { MessageSchema } from '../i18n/de.ts';
import AdminView from '../views/AdminView.vue';
import ConnectionsView from '../views/ConnectionsView.vue';
import ExecutionsView from '../views/ExecutionsView.vue';
import JobsView from '../views/JobsView.vue';
import NotFoundView from '../views/NotFoundView.vue';
import OverviewView from '../views/OverviewView.vue';
import PairsView from '../views/PairsView.vue';
import PersonCheckView from '../views/PersonCheckView.vue';

export type HistoryMode = 'hash' | 'memory';

/** One entry of the module navigation; `labelKey` is a key under `nav` in the messages. */
export interface NavItem {
  name: string;
  labelKey: `nav.${keyof MessageSchema['nav']}`;
}

// Static imports on purpose: the bundle must stay one file (no lazy chunks), see vite.config.ts.
const mainRoutes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: OverviewView },
  { path: '/connections', name: 'connections', component: ConnectionsView },
  { path: '/jobs', name: 'jobs', component: JobsView },
  { path: '/executions', name: 'executions', component: ExecutionsView },
  { path: '/pairs', name: 'pairs', component: PairsView },
  { path: '/person-check', name: 'person-check', component: PersonCheckView },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView },
];

const adminRoutes: RouteRecordRaw[] = [
  { path: '/', name: 'admin', component: AdminView },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export const mainNavigation: readonly NavItem[] = [
  { name: 'overview', labelKey: 'nav.overview' },
  { name: 'connections', labelKey: 'nav.connections' },
  { name: 'jobs', labelKey: 'nav.jobs' },
  { name: 'executions', labelKey: 'nav.executions' },
  { name: 'pairs', labelKey: 'nav.pairs' },
  { name: 'person-check', labelKey: 'nav.personCheck' },
];

export function createSyncRouter(entryPoint: EntryPointName, history: HistoryMode): Router {
  return createRouter({
    // Hash history takes its base from location.pathname, not from ChurchTools' <base href>.
    history: history === 'hash' ? createWebHashHistory() : createMemoryHistory(),
    routes: entryPoint === 'admin' ? adminRoutes : mainRoutes,
  });
}
