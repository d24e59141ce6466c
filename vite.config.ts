import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type ResolvedConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The manifest is the single source of the extension key: it becomes the path ChurchTools serves
// the extension under (/ccm/<key>/), so the build base must follow it.
const manifestPath = fileURLToPath(new URL('./manifest.json', import.meta.url));
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { key: string; version: string };

export const EXTENSION_KEY = manifest.key;
export const BASE = `/ccm/${EXTENSION_KEY}/`;

// The main bundle keeps a stable, unhashed name: ChurchTools' page and extension.es.js name it.
// Views that are not the first screen are lazy chunks with content-hashed names, so a chunk
// always belongs to the bundle that asks for it (never a newer file under an old name). A tab
// that outlives an update may ask for a chunk that is gone: the router then says so and asks
// for a reload (src/extension/router/index.ts).
export const MAIN_JS = 'assets/optigem-sync.js';
export const CHUNK_JS = 'assets/[name]-[hash].js';
export const MAIN_CSS = 'assets/optigem-sync.css';
// The module ChurchTools' new extension format imports: /extensions/<key>/extension.es.js.
export const EXTENSION_JS = 'extension.es.js';
const ENTRY = 'src/extension/main.ts';

/**
 * Writes dist/index.html for the bundle.
 *
 * Why not let Vite build from index.html: an HTML entry becomes a proxy module without exports,
 * so the entry points (`main`, `admin`, `renderExtension`, `loadEntryPoint`) of the coming format
 * would be dropped. We build from the TS entry with its exports preserved and write the page
 * ChurchTools reads the script and stylesheet tags from ourselves. No inline script: the
 * ChurchTools CSP has no 'unsafe-inline'.
 */
function extensionHtml(): Plugin {
  let config: ResolvedConfig | undefined;
  return {
    name: 'optigem-sync:extension-html',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      const base = config?.base ?? BASE;
      const files = Object.keys(bundle);
      // Entry chunks only: lazy chunks load on navigation, not with the page.
      const scripts = files.filter((f) => {
        const output = bundle[f];
        return output?.type === 'chunk' && output.isEntry;
      });
      const styles = files.filter((f) => f.endsWith('.css'));
      const tags = [
        ...scripts.map((f) => `    <script type="module" crossorigin src="${base}${f}"></script>`),
        ...styles.map((f) => `    <link rel="stylesheet" crossorigin href="${base}${f}">`),
      ];
      this.emitFile({
        type: 'asset',
        fileName: 'index.html',
        source: [
          '<!doctype html>',
          '<html lang="de">',
          '  <head>',
          '    <meta charset="UTF-8">',
          '    <meta name="viewport" content="width=device-width, initial-scale=1">',
          '    <title>Optigem Sync</title>',
          ...tags,
          '  </head>',
          '  <body>',
          '    <div id="app"></div>',
          '  </body>',
          '</html>',
          '',
        ].join('\n'),
      });
    },
  };
}

/**
 * Writes dist/extension.es.js for ChurchTools' new extension format (boilerplate branch
 * `entry-points`): the host imports `/extensions/<key>/extension.es.js` and calls the entry points
 * it exports. The module re-exports the one bundle by a relative import — the same file the legacy
 * page loads, so no dependency is shipped twice and the build stays one pass — and brings the
 * stylesheet with it, because the host imports JavaScript only: it adds a <link> to the stylesheet
 * beside it (resolved against its own URL, so any deployment path works) and waits for it, so the
 * app never shows unstyled. A failed stylesheet does not keep the app from starting.
 */
function extensionModule(): Plugin {
  return {
    name: 'optigem-sync:extension-module',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const lines = [`// ${manifest.key} ${manifest.version}: entry of ChurchTools' extension format (/extensions/${manifest.key}/${EXTENSION_JS}).`];
      if (bundle[MAIN_CSS]) {
        lines.push(
          `const href = new URL('./${MAIN_CSS}', import.meta.url).href;`,
          `if (typeof document !== 'undefined' && ![...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) {`,
          `  const link = document.createElement('link');`,
          `  link.rel = 'stylesheet';`,
          `  link.href = href;`,
          `  link.setAttribute('data-extension-style', ${JSON.stringify(manifest.key)});`,
          `  await new Promise((resolve) => {`,
          `    link.addEventListener('load', resolve, { once: true });`,
          `    link.addEventListener('error', resolve, { once: true });`,
          `    document.head.append(link);`,
          `  });`,
          `}`,
        );
      }
      lines.push(`export * from './${MAIN_JS}';`, '');
      this.emitFile({ type: 'asset', fileName: EXTENSION_JS, source: lines.join('\n') });
    },
  };
}

const VUE_FOR_VUE_I18N = fileURLToPath(new URL('./src/extension/shims/vue-for-vue-i18n.ts', import.meta.url));

/** Resolves vue-i18n's `vue` to the part of Vue it uses (see src/extension/shims/vue-for-vue-i18n.ts). */
function vueForVueI18n(): Plugin {
  return {
    name: 'optigem-sync:vue-for-vue-i18n',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'vue' && importer && /[\\/]node_modules[\\/]vue-i18n[\\/]/.test(importer)) return VUE_FOR_VUE_I18N;
      return null;
    },
  };
}

/** Copies manifest.json into the build output (the coming format reads dist/manifest.json). */
function copyManifest(): Plugin {
  return {
    name: 'optigem-sync:copy-manifest',
    apply: 'build',
    buildStart() {
      this.addWatchFile(manifestPath);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source: readFileSync(manifestPath, 'utf8') });
    },
  };
}

export default defineConfig({
  plugins: [vue(), vueForVueI18n(), extensionHtml(), extensionModule(), copyManifest()],
  base: BASE,
  resolve: {
    alias: [
      // Node-only request logger of @churchtools/churchtools-client: see the shim for why.
      { find: 'axios-logger', replacement: fileURLToPath(new URL('./src/extension/shims/axios-logger.ts', import.meta.url)) },
      // One axios in the bundle: the ChurchTools client require()s axios, which resolves to
      // axios' prebuilt CommonJS copy, while our bridge client imports its ES modules; both end
      // up in the bundle (~20 KB gzipped). Point both at the ES modules.
      { find: /^axios$/, replacement: fileURLToPath(new URL('./node_modules/axios/index.js', import.meta.url)) },
    ],
  },
  define: {
    // vue-i18n feature flags: composition API only, no devtools hooks in production. The
    // message compiler stays (JIT: compiles to an AST, no eval, so it works under the CSP).
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Vite's modulepreload polyfill breaks under ChurchTools' CSP (reference/ct-extension.md §1.1),
    // and its preload helper would fetch a lazy chunk's dependencies by /ccm/<key>/ URLs, which are
    // wrong under /extensions/<key>/. Without it, chunks import each other by relative paths.
    modulePreload: false,
    cssCodeSplit: false,
    rolldownOptions: {
      input: { 'optigem-sync': ENTRY },
      // Keep the entry's exports (the coming extension format imports the bundle and calls them);
      // lazy chunks may import more from it.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // Everything the first screen needs is in the main bundle ('$initial': statically
        // imported from the entry), so the page loads one script; lazy chunks import what they
        // share from it. Without this group Rolldown would move code shared by the first screen
        // and a lazy view into a hashed chunk the main bundle imports at start.
        // [I] Lazy chunks import the bundle as ./optigem-sync.js; that is the same module as the
        // one ChurchTools' script tag loaded because the tag names the file without a query
        // (reference/ct-extension.md §1.1 G6 quotes it so). A query there would load a second copy.
        codeSplitting: { groups: [{ name: 'optigem-sync', tags: ['$initial'] }] },
        entryFileNames: MAIN_JS,
        chunkFileNames: CHUNK_JS,
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('.css')) ? MAIN_CSS : 'assets/[name]-[hash][extname]',
      },
    },
  },
});
