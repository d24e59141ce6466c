#!/usr/bin/env node
// Prints the size of the initial JavaScript of the `main` entry point, raw and gzipped, for both
// loading forms, and fails when either is above the budget of 220 KB gzipped. Run after `npm run build`
// (usage: node bench/bundle-size.mjs [distDir], default dist/).
// - legacy: the scripts dist/index.html loads (ChurchTools injects them into /ccm/<key>/);
// - new format: dist/extension.es.js plus the bundle it imports (it carries the CSS as text, so
//   its share is the stylesheet; the bundle itself is the same file, not a second copy).
// Both follow the static imports of what they load (check-dist allows none from the main bundle,
// but a file loaded at start counts wherever it comes from). Lazy chunks — the views other than
// the first screen — load on navigation; they are listed, not counted.
import { readdirSync, readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { moduleImports } from '../scripts/check-dist.mjs';

const BUDGET = 220 * 1024;
const distDir = process.argv[2] ? pathToFileURL(`${resolve(process.argv[2])}/`) : new URL('../dist/', import.meta.url);
const dist = (file) => new URL(file, distDir);
const gzipped = (file) => gzipSync(readFileSync(dist(file)), { level: 9 }).length;

/** `files` and every file they import at start, transitively. */
function loadedAtStart(files) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of moduleImports(readFileSync(dist(file), 'utf8'), file).static) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) visit(posix.join(posix.dirname(file), specifier));
    }
  };
  files.forEach(visit);
  return [...seen];
}

function measure(files) {
  let total = 0;
  for (const file of files) {
    const code = readFileSync(dist(file));
    const size = gzipped(file);
    total += size;
    console.log(`  ${file}: ${(code.length / 1024).toFixed(1)} KB, ${(size / 1024).toFixed(1)} KB gzipped`);
  }
  return total;
}

const html = readFileSync(dist('index.html'), 'utf8');
const legacyScripts = [...html.matchAll(/<script[^>]*src="[^"]*\/(assets\/[^"?#]+\.js)[^"]*"/g)].map((m) => m[1]);
console.log('legacy (/ccm/<key>/index.html):');
const legacyFiles = loadedAtStart(legacyScripts);
const legacy = measure(legacyFiles);
console.log(`initial JavaScript of main, legacy: ${(legacy / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);

console.log('new format (/extensions/<key>/extension.es.js):');
const modernFiles = loadedAtStart(['extension.es.js']);
const modern = measure(modernFiles);
console.log(`initial JavaScript of main, new format: ${(modern / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);

const initial = new Set([...legacyFiles, ...modernFiles]);
const lazy = readdirSync(dist('assets')).map((f) => `assets/${f}`).filter((f) => f.endsWith('.js') && !initial.has(f));
const lazyTotal = lazy.reduce((sum, file) => sum + gzipped(file), 0);
console.log(`lazy chunks (loaded on navigation, not counted): ${lazy.length}, ${(lazyTotal / 1024).toFixed(1)} KB gzipped together`);

if (legacy > BUDGET || modern > BUDGET) process.exit(1);
