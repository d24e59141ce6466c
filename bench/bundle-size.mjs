#!/usr/bin/env node
// Prints the size of the initial JavaScript of the `main` entry point, raw and gzipped, for both
// loading forms, and fails when either is above the budget of 250 KB gzipped. Run after `npm run build`.
// - legacy: the scripts dist/index.html loads (ChurchTools injects them into /ccm/<key>/);
// - new format: dist/extension.es.js plus the bundle it imports (it carries the CSS as text, so
//   its share is the stylesheet; the bundle itself is the same file, not a second copy).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = (file) => new URL(`../dist/${file}`, import.meta.url);

function measure(files) {
  let total = 0;
  for (const file of files) {
    const code = readFileSync(dist(file));
    const gzipped = gzipSync(code, { level: 9 }).length;
    total += gzipped;
    console.log(`  ${file}: ${(code.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  }
  return total;
}

const html = readFileSync(dist('index.html'), 'utf8');
const legacyScripts = [...html.matchAll(/<script[^>]*src="[^"]*\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
console.log('legacy (/ccm/<key>/index.html):');
const legacy = measure(legacyScripts);
console.log(`initial JavaScript of main, legacy: ${(legacy / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);

const module = readFileSync(dist('extension.es.js'), 'utf8');
const imported = [...module.matchAll(/from\s*['"]\.\/([^'"]+)['"]/g)].map((m) => m[1]);
console.log('new format (/extensions/<key>/extension.es.js):');
const modern = measure(['extension.es.js', ...imported]);
console.log(`initial JavaScript of main, new format: ${(modern / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);

if (legacy > BUDGET || modern > BUDGET) process.exit(1);
