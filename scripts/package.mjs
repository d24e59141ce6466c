#!/usr/bin/env node
// Zips the built extension for upload to ChurchTools (System settings → Extensions).
//
// Usage: node scripts/package.mjs [--dist <dir>] [--out <dir>]
//   default dist: ./dist, default out: ./releases → releases/optigem-sync-<version>.zip
//
// Layout: `dist/` is the top-level folder of the archive, as the official boilerplate packages
// it (reference/ct-extension.md §2.1). Source maps and OS junk are left out. Written with fflate
// in-process: no `zip` binary needed, same result on every machine.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const EXCLUDE = [/\.map$/, /(^|\/)\.DS_Store$/, /(^|\/)Thumbs\.db$/];
// A fixed timestamp makes the archive depend on the content only (zip can't store dates before 1980).
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

function parseArgs(argv) {
  const args = { dist: join(projectRoot, 'dist'), out: join(projectRoot, 'releases') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === '--dist' || flag === '--out') && value) {
      args[flag.slice(2)] = resolve(value);
      i++;
    } else {
      throw new Error(`unknown argument ${flag} (usage: package.mjs [--dist <dir>] [--out <dir>])`);
    }
  }
  return args;
}

function listFiles(root) {
  const walk = (dir) =>
    readdirSync(dir)
      .sort()
      .flatMap((entry) => {
        const full = join(dir, entry);
        return statSync(full).isDirectory() ? walk(full) : [relative(root, full).split(sep).join('/')];
      });
  return walk(root);
}

/** Builds the archive and returns its path and the entries written. */
export function packageExtension({ dist, out }) {
  const manifestPath = join(dist, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: build first (npm run build)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (typeof manifest.key !== 'string' || typeof manifest.version !== 'string') {
    throw new Error('manifest.json in the build output has no key or version');
  }

  const files = listFiles(dist).filter((f) => !EXCLUDE.some((re) => re.test(f)));
  const entries = {};
  // Directory entries first, as `zip -r dist/` writes them: some extractors expect them.
  const dirs = new Set(['dist/']);
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(`dist/${parts.slice(0, i).join('/')}/`);
  }
  for (const dir of [...dirs].sort()) entries[dir] = [new Uint8Array(0), { mtime: FIXED_MTIME }];
  for (const file of files) {
    entries[`dist/${file}`] = [readFileSync(join(dist, file)), { mtime: FIXED_MTIME }];
  }
  const zip = zipSync(entries, { level: 9 });

  mkdirSync(out, { recursive: true });
  const archive = join(out, `${manifest.key}-${manifest.version}.zip`);
  writeFileSync(archive, zip);
  return { archive, entries: Object.keys(entries), bytes: zip.byteLength };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { archive, entries, bytes } = packageExtension(args);
  console.log(`package: wrote ${relative(process.cwd(), archive) || archive} (${entries.length} files, ${(bytes / 1024).toFixed(1)} KiB)`);
  for (const entry of entries) console.log(`  ${entry}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
