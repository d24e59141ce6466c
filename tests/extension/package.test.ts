// The release zip: what ChurchTools gets uploaded. Built from the shared test build (dist-build.ts).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltDist, projectRoot } from './dist-build.ts';

const run = promisify(execFile);
const packageScript = join(projectRoot, 'scripts', 'package.mjs');

interface PackageJson {
  version: string;
}
interface Manifest {
  key: string;
  version: string;
  extensionPoints: { id: string; entryPoint: string }[];
}

const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as PackageJson;
const rootManifest = JSON.parse(readFileSync(join(projectRoot, 'manifest.json'), 'utf8')) as Manifest;
const decoder = new TextDecoder();

let workDir: string;
let entries: Record<string, Uint8Array>;
let zipName: string;

async function packageInto(dist: string, out: string): Promise<Record<string, Uint8Array>> {
  await run(process.execPath, [packageScript, '--dist', dist, '--out', out], { cwd: projectRoot });
  return unzipSync(readFileSync(join(out, zipName)));
}

function text(name: string): string {
  const data = entries[name];
  if (!data) throw new Error(`${name} is not in the zip`);
  return decoder.decode(data);
}

beforeAll(async () => {
  zipName = `${rootManifest.key}-${pkg.version}.zip`;
  workDir = mkdtempSync(join(tmpdir(), 'optigem-sync-package-'));
  const dist = await ensureBuiltDist();
  entries = await packageInto(dist, join(workDir, 'releases'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('release zip', () => {
  it('is named <key>-<version>.zip after package.json', () => {
    expect(zipName).toBe(`optigem-sync-${pkg.version}.zip`);
  });

  it('has dist/ as its one top-level folder', () => {
    const names = Object.keys(entries);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.startsWith('dist/')).toBe(true);
    expect(names).toEqual(
      expect.arrayContaining([
        'dist/index.html',
        'dist/manifest.json',
        'dist/assets/optigem-sync.js',
        'dist/assets/optigem-sync.css',
        'dist/icon.svg',
      ]),
    );
  });

  it('holds the main bundle, the lazy chunks of the other views, the new format\'s extension.es.js, and no source maps', () => {
    const names = Object.keys(entries);
    expect(names.filter((n) => n.endsWith('.map'))).toEqual([]);
    const js = names.filter((n) => /\.m?js$/.test(n));
    expect(js).toEqual(expect.arrayContaining(['dist/assets/optigem-sync.js', 'dist/extension.es.js']));
    const chunks = js.filter((n) => n !== 'dist/assets/optigem-sync.js' && n !== 'dist/extension.es.js');
    expect(chunks.some((n) => /^dist\/assets\/JobsView-[\w-]{8}\.js$/.test(n))).toBe(true);
    for (const chunk of chunks) expect(chunk).toMatch(/^dist\/assets\/[\w.-]+-[\w-]{8}\.js$/);
  });

  it('carries the manifest, in step with package.json', () => {
    const manifest = JSON.parse(text('dist/manifest.json')) as Manifest;
    expect(manifest).toEqual(rootManifest);
    expect(manifest.key).toBe('optigem-sync');
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.extensionPoints.map((p) => p.id)).toEqual(expect.arrayContaining(['main', 'admin']));
  });

  it('contains every asset dist/index.html references, under /ccm/<key>/', () => {
    const html = text('dist/index.html');
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs).toEqual(
      expect.arrayContaining(['/ccm/optigem-sync/assets/optigem-sync.js', '/ccm/optigem-sync/assets/optigem-sync.css']),
    );
    for (const ref of refs) {
      expect(ref.startsWith('/ccm/optigem-sync/')).toBe(true);
      expect(Object.keys(entries)).toContain(`dist/${ref.slice('/ccm/optigem-sync/'.length)}`);
    }
  });

  it('has a page without inline scripts (ChurchTools CSP)', () => {
    const html = text('dist/index.html');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="/);
      expect(attrs).toMatch(/type="module"/);
      expect(body?.trim()).toBe('');
    }
  });

  it('leaves source maps out even when the build has them', async () => {
    const dist = join(workDir, 'dist-with-map');
    cpSync(await ensureBuiltDist(), dist, { recursive: true });
    writeFileSync(join(dist, 'assets', 'optigem-sync.js.map'), '{}');
    const withMap = await packageInto(dist, join(workDir, 'releases-map'));
    expect(Object.keys(withMap).filter((n) => n.endsWith('.map'))).toEqual([]);
    expect(Object.keys(withMap)).toContain('dist/assets/optigem-sync.js');
  });
});
