#!/usr/bin/env node
// `vite build` with the project's vite.config.ts into <outDir>, recording which project files went
// into the bundle. The test build cache (tests/extension/dist-build.ts) uses that list to know when
// a cached build is still current, so edits elsewhere in src/ (bridge, CLI) don't force a rebuild.
//
// Usage: node scripts/build-tracked.mjs <outDir> <inputsJson>
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
// Files every build depends on besides the modules of the bundle.
const ALWAYS = [
  'index.html',
  'manifest.json',
  'vite.config.ts',
  'package.json',
  'package-lock.json',
  // Not read by the build, but a cached build counts as checked only by the current check.
  'scripts/build-tracked.mjs',
  'scripts/check-dist.mjs',
  'scripts/manifest-schema.mjs',
];

const [outDir, inputsFile] = process.argv.slice(2);
if (!outDir || !inputsFile) {
  console.error('usage: node scripts/build-tracked.mjs <outDir> <inputsJson>');
  process.exit(2);
}

const modules = new Set();
/** @type {import('vite').Plugin} */
const tracker = {
  name: 'optigem-sync:track-inputs',
  apply: 'build',
  generateBundle() {
    for (const id of this.getModuleIds()) {
      const file = id.split('?')[0] ?? '';
      if (!isAbsolute(file) || !existsSync(file)) continue;
      const rel = relative(projectRoot, file).split(sep).join('/');
      // node_modules is covered by package-lock.json.
      if (rel.startsWith('..') || rel.startsWith('node_modules/')) continue;
      modules.add(rel);
    }
  },
};

await build({
  root: projectRoot,
  logLevel: 'warn',
  plugins: [tracker],
  build: { outDir: resolve(outDir), emptyOutDir: true },
});

// public/ is copied as is, not a module: list it too.
const publicFiles = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const full = resolve(dir, entry);
    if (statSync(full).isDirectory()) walk(full);
    else publicFiles.push(relative(projectRoot, full).split(sep).join('/'));
  }
};
walk(resolve(projectRoot, 'public'));

const files = [...new Set([...ALWAYS.filter((f) => existsSync(resolve(projectRoot, f))), ...publicFiles, ...modules])].sort();
writeFileSync(inputsFile, JSON.stringify({ files }, null, 2));
