// Conventions of the extension's sources that a reviewer would otherwise have to remember.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './dist-build.ts';

const extensionDir = join(projectRoot, 'src', 'extension');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? files(full, ext) : full.endsWith(ext) ? [full] : [];
  });
}

const vueFiles = files(extensionDir, '.vue').map((file) => ({
  name: relative(projectRoot, file),
  source: readFileSync(file, 'utf8'),
}));

describe('extension sources', () => {
  it('has Vue components to check', () => {
    expect(vueFiles.length).toBeGreaterThan(5);
  });

  it('never uses v-html (no HTML from data; XSS)', () => {
    for (const { name, source } of vueFiles) expect(source, name).not.toMatch(/\bv-html\b/);
  });

  it('uses <script setup lang="ts"> in every component', () => {
    for (const { name, source } of vueFiles) {
      expect(source, name).toMatch(/<script setup lang="ts">/);
      expect(source, name).not.toMatch(/<script(?![^>]*\bsetup\b)[^>]*>/);
    }
  });

  it('scopes component styles (no global <style> blocks)', () => {
    for (const { name, source } of vueFiles) {
      for (const [tag] of source.matchAll(/<style\b[^>]*>/g)) expect(tag, name).toMatch(/\bscoped\b/);
    }
  });

  it('prefixes static class names with os- (ChurchTools utility classes would match plain names)', () => {
    for (const { name, source } of vueFiles) {
      const template = /<template>([\s\S]*)<\/template>/.exec(source)?.[1] ?? '';
      for (const [, classes] of template.matchAll(/\sclass="([^"]*)"/g)) {
        for (const cls of (classes ?? '').split(/\s+/).filter(Boolean)) expect(cls, `${name}: ${cls}`).toMatch(/^os-/);
      }
    }
  });
});
