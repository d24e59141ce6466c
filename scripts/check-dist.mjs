#!/usr/bin/env node
// Post-build check of the extension output (run by `npm run build` after `vite build`).
//
// Usage: node scripts/check-dist.mjs [distDir]   (default: dist)
//
// The output carries both loading forms, built from one source:
// - legacy: index.html, whose script/stylesheet tags ChurchTools injects into /ccm/<key>/;
// - new format (boilerplate branch `entry-points`): extension.es.js, which the host imports from
//   /extensions/<key>/ and whose exported entry points it calls.
//
// Fails (exit 1, one line per problem) when the output would not work inside ChurchTools:
// - an inline <script> or inline event handler in index.html (the CSP has no 'unsafe-inline');
// - Vite's modulepreload polyfill (an inline script, or code in the bundle);
// - source maps (.map files or sourceMappingURL comments);
// - the main bundle not under its stable name, or importing another file at start (the first
//   screen is one file; other views are lazy chunks);
// - a lazy chunk without a content hash in its name, not loaded by anything, importing by a path
//   that is not relative (it must load from /ccm/<key>/ and /extensions/<key>/ alike), or
//   importing a file that is not in the output;
// - extension.es.js missing, not re-exporting the main bundle by a relative import, not bringing
//   the stylesheet with it, or listed in index.html;
// - a development build of Vue in the bundle;
// - a stylesheet rule that is not scoped to the extension root (it would restyle ChurchTools);
// - manifest.json missing, invalid, or with a version that differs from package.json.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'vite';
import { manifestSchema } from './manifest-schema.mjs';

export const MAIN_JS = 'assets/optigem-sync.js';
export const MAIN_CSS = 'assets/optigem-sync.css';
export const EXTENSION_JS = 'extension.es.js';
export const ROOT_CLASS = 'optigem-sync';
/** Lazy chunks: `assets/<name>-<content hash>.js` (vite.config.ts CHUNK_JS). */
const CHUNK_NAME = /^assets\/[\w.-]+-[\w-]{8}\.js$/;

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * Module specifiers a built JS file imports: at start (`import … from`, `export … from`) and
 * lazily (`import(…)`; undefined when the specifier is computed, not a plain string). Parsed, not
 * matched: minified code has "from" and "import" in strings and property names.
 */
export function moduleImports(js, fileName = 'chunk.js') {
  const { module, errors } = parseSync(fileName, js);
  if (errors.length > 0) throw new Error(`${fileName} does not parse: ${errors[0].message}`);
  const fromExports = module.staticExports.flatMap((e) => e.entries.map((entry) => entry.moduleRequest?.value)).filter(Boolean);
  const literal = /^(["'`])([^"'`$]*)\1$/;
  return {
    static: [...module.staticImports.map((i) => i.moduleRequest.value), ...new Set(fromExports)],
    dynamic: module.dynamicImports.map((d) => literal.exec(js.slice(d.moduleRequest.start, d.moduleRequest.end).trim())?.[2]),
  };
}

function listFilesRel(root) {
  const walk = (dir) =>
    readdirSync(dir).flatMap((entry) => {
      const full = join(dir, entry);
      return statSync(full).isDirectory() ? walk(full) : [relative(root, full).split(sep).join('/')];
    });
  return walk(root);
}

/** `<script …>…</script>` blocks with their attributes and content. */
function scriptTags(html) {
  const tags = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) tags.push({ attrs: m[1] ?? '', body: m[2] ?? '' });
  return tags;
}

function attr(attrs, name) {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

/** URLs of the scripts and stylesheets index.html references. */
export function referencedAssets(html) {
  const urls = [];
  for (const tag of scriptTags(html)) {
    const src = attr(tag.attrs, 'src');
    if (src) urls.push(src);
  }
  const linkRe = /<link\b([^>]*)>/gi;
  for (let m = linkRe.exec(html); m; m = linkRe.exec(html)) {
    const href = attr(m[1] ?? '', 'href');
    if (href) urls.push(href);
  }
  return urls;
}

/**
 * Top-level selectors of a stylesheet (inside @media/@supports/@layer/@container too), without
 * those of @keyframes, @font-face and @property, which select nothing.
 */
export function cssSelectors(css) {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const selectors = [];
  const walk = (start, end) => {
    let i = start;
    while (i < end) {
      const open = text.indexOf('{', i);
      if (open === -1 || open >= end) return;
      const prelude = text.slice(i, open).trim().replace(/^;+/, '').trim();
      // Find the matching brace.
      let depth = 1;
      let j = open + 1;
      while (j < end && depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        j++;
      }
      if (prelude.startsWith('@')) {
        if (/^@(media|supports|layer|container|scope|document)\b/i.test(prelude)) walk(open + 1, j - 1);
      } else if (prelude) {
        selectors.push(...splitSelectorList(prelude));
      }
      i = j;
    }
  };
  walk(0, text.length);
  return selectors;
}

function splitSelectorList(list) {
  // Split on commas outside parentheses/brackets (":is(a, b)" stays one selector).
  const parts = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** A rule is scoped when it targets the root class or Vue's scoped-style attribute. */
export function isScopedSelector(selector) {
  return new RegExp(`\\.${ROOT_CLASS}(?![\\w-])`).test(selector) || /\[data-v-[0-9a-f]+\]/.test(selector);
}

export function checkDist(distDir, { packageJsonPath = join(projectRoot, 'package.json') } = {}) {
  const problems = [];
  const fail = (message) => problems.push(message);

  if (!existsSync(distDir) || !statSync(distDir).isDirectory()) {
    return [`${distDir} does not exist (run vite build first)`];
  }
  const files = listFilesRel(distDir);

  // index.html: no inline script, no inline handlers, no polyfill, exactly our tags.
  const indexPath = join(distDir, 'index.html');
  let html = '';
  if (!existsSync(indexPath)) fail('index.html is missing');
  else {
    html = readFileSync(indexPath, 'utf8');
    for (const tag of scriptTags(html)) {
      const type = (attr(tag.attrs, 'type') ?? '').toLowerCase();
      const isData = type === 'application/json' || type === 'application/ld+json';
      if (!attr(tag.attrs, 'src') && !isData) fail(`index.html has an inline <script${tag.attrs}> (blocked by the ChurchTools CSP)`);
      else if (attr(tag.attrs, 'src') && tag.body.trim()) fail('index.html has a <script src> with inline content');
    }
    if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) fail('index.html has an inline event handler attribute (blocked by the CSP)');
    if (/javascript:/i.test(html)) fail('index.html has a javascript: URL (blocked by the CSP)');
    if (/modulepreload/i.test(html)) fail('index.html has modulepreload links or the modulepreload polyfill (the bundle must be one file)');
    if (html.includes(EXTENSION_JS)) fail(`index.html loads ${EXTENSION_JS}: the legacy page must load the bundle once, by its own tag`);
  }

  // Source maps.
  for (const f of files.filter((f) => f.endsWith('.map'))) fail(`source map in the output: ${f}`);

  // The main bundle under its stable name, the new format's module, lazy chunks; nothing else.
  const jsFiles = files.filter((f) => /\.(m?js|cjs)$/.test(f));
  const chunks = jsFiles.filter((f) => f !== MAIN_JS && f !== EXTENSION_JS);
  const unnamed = chunks.filter((f) => !CHUNK_NAME.test(f));
  if (unnamed.length > 0) fail(`unexpected JS file(s) ${unnamed.join(', ')}: besides ${MAIN_JS} and ${EXTENSION_JS} only lazy chunks named assets/<name>-<hash>.js belong in the output`);
  if (!files.includes(MAIN_JS)) fail(`${MAIN_JS} is missing (the main bundle must keep its stable, unhashed name)`);
  const loaded = new Set();
  for (const f of [MAIN_JS, ...chunks].filter((file) => files.includes(file))) {
    let imports;
    try {
      imports = moduleImports(readFileSync(join(distDir, f), 'utf8'), f);
    } catch (error) {
      fail(error.message);
      continue;
    }
    if (f === MAIN_JS && imports.static.length > 0) {
      fail(`${MAIN_JS} imports ${imports.static.join(', ')} at start: the first screen must be one file (code it shares with lazy views belongs in it)`);
    }
    for (const specifier of [...imports.static, ...imports.dynamic]) {
      if (specifier === undefined) {
        fail(`${f} imports a computed path: chunks must be imported by literal relative paths`);
        continue;
      }
      if (!specifier.startsWith('./')) {
        fail(`${f} imports ${specifier}: chunks must import each other by relative paths (./…) to load under /ccm/<key>/ and /extensions/<key>/ alike`);
        continue;
      }
      const target = join(f, '..', specifier).split(sep).join('/');
      if (!files.includes(target)) fail(`${f} imports ${specifier}, but ${target} is not in the output`);
      loaded.add(target);
    }
  }
  for (const chunk of chunks.filter((f) => CHUNK_NAME.test(f) && !loaded.has(f))) fail(`${chunk} is not loaded by the main bundle or another chunk`);
  if (!files.includes(EXTENSION_JS)) fail(`${EXTENSION_JS} is missing (the new extension format imports it from /extensions/<key>/)`);
  const cssFiles = files.filter((f) => f.endsWith('.css'));
  if (cssFiles.length > 1) fail(`expected at most one CSS file (${MAIN_CSS}), found: ${cssFiles.join(', ')}`);
  else if (cssFiles.length === 1 && cssFiles[0] !== MAIN_CSS) fail(`stylesheet ${cssFiles[0]} should be ${MAIN_CSS}`);

  for (const f of [...jsFiles, ...cssFiles]) {
    const text = readFileSync(join(distDir, f), 'utf8');
    if (/[#@]\s*sourceMappingURL=/.test(text)) fail(`${f} has a sourceMappingURL comment`);
    if (f.endsWith('.js')) {
      // The polyfill returns early where the browser supports modulepreload; Vite's import helper
      // (in every build with lazy chunks, idle here: modulePreload is off) only picks the rel.
      if (/relList\b[\s\S]{0,200}supports\(\s*["'`]modulepreload["'`]\s*\)\s*\)\s*return\b/.test(text)) fail(`${f} contains the modulepreload polyfill`);
      // Vue's dev warnings exist only in a development build (e.g. NODE_ENV leaked into vite build).
      if (text.includes('[Vue warn]')) fail(`${f} is a development build (contains Vue dev warnings); build with NODE_ENV=production`);
    }
    if (f.endsWith('.css')) {
      for (const selector of cssSelectors(text)) {
        if (!isScopedSelector(selector)) fail(`${f}: rule "${selector}" is not scoped under .${ROOT_CLASS} (it would restyle ChurchTools)`);
      }
    }
  }

  // The new format's module: the host imports only it, from /extensions/<key>/, so it must reach the
  // bundle relative to itself and bring the stylesheet along.
  if (files.includes(EXTENSION_JS)) {
    const module = readFileSync(join(distDir, EXTENSION_JS), 'utf8');
    const reexport = new RegExp(`export\\s*\\*\\s*from\\s*(['"])\\./${MAIN_JS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`);
    if (!reexport.test(module)) fail(`${EXTENSION_JS} does not re-export ./${MAIN_JS} (export * from './${MAIN_JS}')`);
    for (const m of module.matchAll(/(?:import|from)\s*\(?\s*(['"])([^'"]+)\1/g)) {
      const specifier = m[2] ?? '';
      if (!specifier.startsWith('./')) fail(`${EXTENSION_JS} imports ${specifier}: only paths relative to the module work under /extensions/<key>/`);
    }
    // The stylesheet is linked by a URL resolved against the module's own, not by a fixed path.
    if (files.includes(MAIN_CSS) && !new RegExp(`new URL\\(\\s*(['"])\\./${MAIN_CSS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1\\s*,\\s*import\\.meta\\.url\\s*\\)`).test(module)) {
      fail(`${EXTENSION_JS} does not bring the stylesheet ${MAIN_CSS} with it (the host imports JavaScript only)`);
    }
    if (/[#@]\s*sourceMappingURL=/.test(module)) fail(`${EXTENSION_JS} has a sourceMappingURL comment`);
  }

  // Manifest, then everything that depends on it (base path, referenced assets, exports).
  const manifestFile = join(distDir, 'manifest.json');
  let manifest;
  if (!existsSync(manifestFile)) fail('manifest.json is missing from the output');
  else {
    let raw;
    try {
      raw = JSON.parse(readFileSync(manifestFile, 'utf8'));
    } catch (error) {
      fail(`manifest.json is not valid JSON: ${error.message}`);
    }
    if (raw !== undefined) {
      const parsed = manifestSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) fail(`manifest.json ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      } else manifest = parsed.data;
    }
  }
  if (manifest) {
    const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    if (manifest.version !== pkg.version) fail(`manifest.json version ${manifest.version} differs from package.json version ${pkg.version}`);
    const base = `/ccm/${manifest.key}/`;
    // Every asset the page references exists in the output.
    for (const url of referencedAssets(html)) {
      if (!url.startsWith(base)) {
        fail(`index.html references ${url} outside ${base} (the base must follow the manifest key)`);
        continue;
      }
      const file = url.slice(base.length).split(/[?#]/)[0];
      if (!files.includes(file)) fail(`index.html references ${url}, but ${file} is not in the output`);
    }
    // The coming format calls the entry points by the names the manifest declares.
    if (files.includes(MAIN_JS)) {
      const js = readFileSync(join(distDir, MAIN_JS), 'utf8');
      const exportList = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(js.trim())?.[1] ?? '';
      const exported = new Set(exportList.split(',').map((s) => s.trim().split(/\s+as\s+/).pop()));
      const needed = ['renderExtension', 'loadEntryPoint', ...manifest.extensionPoints.map((p) => p.entryPoint)];
      for (const name of needed) if (!exported.has(name)) fail(`${MAIN_JS} does not export "${name}"`);
    }
  }

  return problems;
}

function main() {
  const distDir = resolve(process.argv[2] ?? join(projectRoot, 'dist'));
  const problems = checkDist(distDir);
  if (problems.length) {
    console.error(`check-dist: ${problems.length} problem(s) in ${distDir}:`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`check-dist: ${distDir} is fine (the first screen in one JS bundle, lazy chunks by relative paths, ${EXTENSION_JS} for the new format, no inline script, no source maps, valid manifest)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
