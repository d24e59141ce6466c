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
import NotFoundView from '../views/NotFoundView.vue';
import OverviewView from '../views/OverviewView.vue';

// The first screens (overview, admin page) are in the main bundle; every other view is a lazy
// chunk fetched on first navigation, which keeps the JavaScript the page loads small
// (bench/bundle-size.mjs). A chunk that cannot be fetched — typically an update replaced it
// while this tab stayed open — ends the navigation with an error the layout shows
// (stores/view-loading.ts).
const ConnectionView = () => import('../views/ConnectionView.vue');
const ConnectionsView = () => import('../views/ConnectionsView.vue');
const ExecutionView = () => import('../views/ExecutionView.vue');
const ExecutionsView = () => import('../views/ExecutionsView.vue');
const JobEditorView = () => import('../views/JobEditorView.vue');
const JobRunView = () => import('../views/JobRunView.vue');
const JobsView = () => import('../views/JobsView.vue');
const PairsView = () => import('../views/PairsView.vue');
const PersonCheckView = () => import('../views/PersonCheckView.vue');
const PropertyPairsView = () => import('../views/PropertyPairsView.vue');

export type HistoryMode = 'hash' | 'memory';

/** One entry of the module navigation; `labelKey` is a key under `nav` in the messages. */
export interface NavItem {
  name: string;
  labelKey: `nav.${keyof MessageSchema['nav']}`;
}

// Detail pages are children of their section (empty-path child = the list), so the section's
// navigation link stays marked as current on them.
const mainRoutes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: OverviewView },
  {
    path: '/connections',
    children: [
      { path: '', name: 'connections', component: ConnectionsView },
      { path: 'new', name: 'connection-new', component: ConnectionView },
      { path: ':id', name: 'connection', component: ConnectionView },
      { path: ':id/properties', name: 'property-pairs', component: PropertyPairsView },
    ],
  },
  {
    path: '/jobs',
    children: [
      { path: '', name: 'jobs', component: JobsView },
      { path: 'new', name: 'job-new', component: JobEditorView },
      { path: ':id', name: 'job', component: JobEditorView },
      { path: ':id/run', name: 'job-run', component: JobRunView },
    ],
  },
  {
    path: '/executions',
    children: [
      { path: '', name: 'executions', component: ExecutionsView },
      { path: ':id', name: 'execution', component: ExecutionView },
    ],
  },
  { path: '/pairs', name: 'pairs', component: PairsView },
  { path: '/person-check', name: 'person-check', component: PersonCheckView },
  // Deep link to one person's panel, e.g. from a log entry: #/person/123.
  { path: '/person/:id', name: 'person', component: PersonCheckView },
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
