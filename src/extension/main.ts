// Bundle entry (dist/assets/optigem-sync.js). Two ways in:
//
// 1. Legacy loading (what ChurchTools runs today): ChurchTools injects
//    `<script type="module" src="/ccm/optigem-sync/assets/optigem-sync.js">` into its own page,
//    which has `<div id="app">`. We then mount on #app right away.
// 2. The coming format: the host `import()`s this bundle and calls the exports below
//    (`loadEntryPoint`, `renderExtension`, `main`, `admin`). No auto-mount then: an imported module
//    has no <script> tag of its own, which is how we tell the two apart.
// First: configures zod before any schema module is evaluated (see the file).
import './zod-config.ts';
import { EXTENSION_KEY } from './constants.ts';
import { mountSyncApp } from './mount.ts';

export { admin, getAvailableEntryPoints, loadEntryPoint, main, renderExtension } from './entry-points.ts';
export { mountSyncApp } from './mount.ts';
// The boilerplate's bundle exports its key as KEY; hosts written against it may read it.
export { EXTENSION_KEY as KEY } from './constants.ts';
export type * from './contracts.ts';

const MOUNTED_ATTRIBUTE = 'data-optigem-sync-mounted';

function withoutQuery(url: string, baseUri: string): string {
  const parsed = new URL(url, baseUri);
  return parsed.origin + parsed.pathname;
}

/** True when this module was loaded by a `<script type="module" src>` tag (legacy page). */
export function loadedByScriptTag(moduleUrl: string = import.meta.url, doc: Document = document): boolean {
  // Compare without query: ChurchTools may add cache-busting parameters to the injected tag.
  const self = withoutQuery(moduleUrl, doc.baseURI);
  return Array.from(doc.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')).some(
    (script) => withoutQuery(script.getAttribute('src') ?? '', doc.baseURI) === self,
  );
}

/** Legacy start: mount on #app once. Returns the unmount function, or undefined when not mounted. */
export function autoMountLegacy(): (() => void) | undefined {
  const root = document.getElementById('app');
  if (!root) {
    console.warn(`[${EXTENSION_KEY}] loaded by a script tag, but the page has no #app element to mount on`);
    return undefined;
  }
  if (root.hasAttribute(MOUNTED_ATTRIBUTE)) return undefined;
  root.setAttribute(MOUNTED_ATTRIBUTE, '');
  return mountSyncApp(root, { entryPoint: 'main' });
}

if (typeof document !== 'undefined' && loadedByScriptTag()) {
  autoMountLegacy();
}
