import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The house rules of the layout, checked on every import of every shipped source file:
// headless code (engine, runners, CLI, bridge, formatting, messages) never reaches into the UI,
// shipped code never into dev/, and the engine only into itself.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|vue|mjs)$/.test(name) ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(process.cwd(), resolve(dirname(file), s)));
}

function importsMatching(roots: readonly string[], forbidden: (target: string) => boolean): string[] {
  return roots.flatMap((root) => sourceFiles(root).flatMap((file) => relativeImports(file).filter(forbidden).map((target) => `${file} → ${target}`)));
}

const HEADLESS = ['src/sync', 'src/runner', 'src/cli', 'src/bridge', 'src/format', 'src/messages', 'src/churchtools', 'src/optigem'];

describe('layout house rules', () => {
  it('headless code never imports from the extension UI', () => {
    expect(importsMatching(HEADLESS, (target) => target.startsWith('src/extension'))).toEqual([]);
  });

  it('shipped code never imports from dev/', () => {
    expect(importsMatching(['src'], (target) => target.startsWith('dev'))).toEqual([]);
  });

  it('the engine (src/sync) imports only itself', () => {
    expect(importsMatching(['src/sync'], (target) => !target.startsWith('src/sync'))).toEqual([]);
  });

  it('finds imports at all (the check above would pass vacuously otherwise)', () => {
    expect(relativeImports('src/format/labels.ts')).toContain('src/messages/engine.ts');
  });
});
