// scripts/check-dist.mjs must pass the real build and catch each kind of broken output.
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltDist, projectRoot } from './dist-build.ts';

const run = promisify(execFile);
const checkScript = join(projectRoot, 'scripts', 'check-dist.mjs');

let workDir: string;
let builtDist: string;
let copies = 0;

/** A fresh copy of the good build to break. */
function copyOfBuild(): string {
  const dir = join(workDir, `dist-${copies++}`);
  cpSync(builtDist, dir, { recursive: true });
  return dir;
}

async function check(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [checkScript, dir], { cwd: projectRoot });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** One lazy chunk of the build (the views other than the first screen are lazy). */
function lazyChunk(dir: string): string {
  const chunk = readdirSync(join(dir, 'assets')).find((f) => /^JobsView-[\w-]{8}\.js$/.test(f));
  if (!chunk) throw new Error('the build has no lazy JobsView chunk');
  return join('assets', chunk);
}

function editJson(file: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(file, JSON.stringify(value));
}

function editText(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

beforeAll(async () => {
  builtDist = await ensureBuiltDist();
  workDir = mkdtempSync(join(tmpdir(), 'optigem-sync-check-dist-'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('check-dist', () => {
  it('accepts the real build', async () => {
    const result = await check(copyOfBuild());
    expect(result.output).toContain('is fine');
    expect(result.ok).toBe(true);
  });

  const breakages: [string, (dir: string) => void, RegExp][] = [
    [
      'an inline script in index.html',
      (dir) => {
        const file = join(dir, 'index.html');
        writeFileSync(file, readFileSync(file, 'utf8').replace('</head>', '<script>window.x = 1</script></head>'));
      },
      /inline <script/,
    ],
    [
      'the modulepreload polyfill',
      (dir) => {
        appendFileSync(
          join(dir, 'assets', 'optigem-sync.js'),
          '\n(function(){const relList=document.createElement("link").relList;if(relList&&relList.supports&&relList.supports("modulepreload"))return;})();',
        );
      },
      /modulepreload polyfill/,
    ],
    ['a source map', (dir) => writeFileSync(join(dir, 'assets', 'optigem-sync.js.map'), '{}'), /source map/],
    ['a JS file that is not a hashed lazy chunk', (dir) => writeFileSync(join(dir, 'assets', 'chunk.js'), 'export const x = 1;'), /unexpected JS file\(s\) assets\/chunk\.js/],
    ['a chunk nothing loads', (dir) => writeFileSync(join(dir, 'assets', 'chunk-abc12345.js'), 'export const x = 1;'), /assets\/chunk-abc12345\.js is not loaded/],
    [
      'a main bundle that loads a chunk at start',
      (dir) => {
        writeFileSync(join(dir, 'assets', 'chunk-abc12345.js'), 'export const x = 1;');
        editText(join(dir, 'assets', 'optigem-sync.js'), (js) => `import "./chunk-abc12345.js";\n${js}`);
      },
      /optigem-sync\.js imports \.\/chunk-abc12345\.js at start/,
    ],
    [
      'a lazy chunk that imports the bundle by an absolute path',
      (dir) => editText(join(dir, lazyChunk(dir)), (js) => js.replace('"./optigem-sync.js"', '"/ccm/optigem-sync/assets/optigem-sync.js"')),
      /imports \/ccm\/optigem-sync\/assets\/optigem-sync\.js: chunks must import each other by relative paths/,
    ],
    [
      'a lazy import of a chunk that is not in the output',
      (dir) => editText(join(dir, 'assets', 'optigem-sync.js'), (js) => js.replace('import(`./JobsView-', 'import(`./JobsViewGone-')),
      /imports \.\/JobsViewGone-[\w-]+\.js, but assets\/JobsViewGone-[\w-]+\.js is not in the output/,
    ],
    ['a missing extension.es.js (new format)', (dir) => unlinkSync(join(dir, 'extension.es.js')), /extension\.es\.js is missing/],
    [
      'an extension.es.js that does not re-export the bundle',
      (dir) => editText(join(dir, 'extension.es.js'), (js) => js.replace(/export \* from '[^']+';/, "export { main } from './assets/optigem-sync.js';")),
      /does not re-export \.\/assets\/optigem-sync\.js/,
    ],
    [
      'an extension.es.js that imports by an absolute path',
      (dir) => editText(join(dir, 'extension.es.js'), (js) => js.replace("from './assets/optigem-sync.js'", "from '/ccm/optigem-sync/assets/optigem-sync.js'")),
      /imports \/ccm\/optigem-sync\/assets\/optigem-sync\.js: only paths relative/,
    ],
    [
      'an extension.es.js without the stylesheet',
      (dir) => editText(join(dir, 'extension.es.js'), (js) => js.replace("new URL('./assets/optigem-sync.css', import.meta.url)", "new URL('./assets/other.css', import.meta.url)")),
      /does not bring the stylesheet/,
    ],
    [
      'index.html loading extension.es.js too',
      (dir) => editText(join(dir, 'index.html'), (html) => html.replace('</head>', '<script type="module" src="/ccm/optigem-sync/extension.es.js"></script></head>')),
      /index\.html loads extension\.es\.js/,
    ],
    ['a missing manifest', (dir) => unlinkSync(join(dir, 'manifest.json')), /manifest\.json is missing/],
    [
      'an invalid manifest key',
      (dir) => editJson(join(dir, 'manifest.json'), (m) => (m.key = 'Optigem Sync')),
      /manifest\.json key/,
    ],
    [
      'a too short description',
      (dir) => editJson(join(dir, 'manifest.json'), (m) => (m.description = 'Sync')),
      /manifest\.json description/,
    ],
    [
      'a version that differs from package.json',
      (dir) => editJson(join(dir, 'manifest.json'), (m) => (m.version = '99.0.0')),
      /differs from package\.json/,
    ],
    [
      'a non-semver version',
      (dir) => editJson(join(dir, 'manifest.json'), (m) => (m.version = 'v1')),
      /manifest\.json version/,
    ],
    [
      'a stylesheet rule that would restyle ChurchTools',
      (dir) => appendFileSync(join(dir, 'assets', 'optigem-sync.css'), '\nbutton{color:red}'),
      /"button" is not scoped/,
    ],
    [
      'a missing entry point export',
      (dir) => editJson(join(dir, 'manifest.json'), (m) => {
        m.extensionPoints = [
          ...(m.extensionPoints as object[]),
          { id: 'finance-tab', entryPoint: 'financeTab' },
        ];
      }),
      /does not export "financeTab"/,
    ],
  ];

  for (const [what, breakIt, message] of breakages) {
    it(`fails on ${what}`, async () => {
      const dir = copyOfBuild();
      breakIt(dir);
      const result = await check(dir);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(message);
    });
  }
});
