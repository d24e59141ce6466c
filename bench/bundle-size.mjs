#!/usr/bin/env node
// Prints the size of the initial JavaScript of the `main` entry point (the one bundle ChurchTools
// loads), raw and gzipped, and fails above the budget of 250 KB gzipped. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const html = readFileSync(new URL('../dist/index.html', import.meta.url), 'utf8');
const scripts = [...html.matchAll(/<script[^>]*src="[^"]*\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of scripts) {
  const code = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const gzipped = gzipSync(code, { level: 9 }).length;
  total += gzipped;
  console.log(`${file}: ${(code.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(`initial JavaScript of main: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) process.exit(1);
