// de.ts and en.ts must have the same keys (TypeScript checks en against de's type; this checks
// the run-time objects too, e.g. a key added to de only with en typed loosely later).
import { describe, expect, it } from 'vitest';
import de from '../../src/extension/i18n/de.ts';
import en from '../../src/extension/i18n/en.ts';
import { createSyncI18n } from '../../src/extension/i18n/index.ts';
import { mainNavigation } from '../../src/extension/router/index.ts';

function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return { [prefix]: value };
  return Object.entries(value).reduce<Record<string, unknown>>(
    (acc, [key, child]) => ({ ...acc, ...flatten(child, prefix ? `${prefix}.${key}` : key) }),
    {},
  );
}

const flatDe = flatten(de);
const flatEn = flatten(en);

describe('messages', () => {
  it('have identical key sets in German and English', () => {
    expect(Object.keys(flatEn).sort()).toEqual(Object.keys(flatDe).sort());
  });

  it('are non-empty strings everywhere', () => {
    for (const [key, value] of [...Object.entries(flatDe), ...Object.entries(flatEn)]) {
      expect(typeof value, key).toBe('string');
      expect((value as string).trim(), key).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: unknown) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(flatDe)) expect(placeholders(flatEn[key]), key).toEqual(placeholders(flatDe[key]));
  });

  it('cover every navigation label', () => {
    for (const item of mainNavigation) {
      expect(flatDe[item.labelKey], item.labelKey).toBeTypeOf('string');
      expect(flatEn[item.labelKey], item.labelKey).toBeTypeOf('string');
    }
  });

  it('use the German Sync vocabulary ChurchTools admins know', () => {
    expect(Object.values(de.nav)).toEqual(['Übersicht', 'Verbindungen', 'Aufträge', 'Ausführungen', 'Paare', 'Person prüfen']);
  });

  it('say one thing in the singular and several in the plural, in both languages', () => {
    const de = createSyncI18n('de').global;
    expect(de.t('jobDocument.imported', { connection: 'G', count: 1 }, 1)).toBe('Importiert: Verbindung „G“ mit einem Auftrag.');
    expect(de.t('jobDocument.imported', { connection: 'G', count: 2 }, 2)).toBe('Importiert: Verbindung „G“ mit 2 Aufträgen.');
    expect(de.t('overview.propertyPairs', { count: 1 }, 1)).toBe('ein Eigenschaften-Paar');
    const en = createSyncI18n('en').global;
    expect(en.t('run.entriesSoFar', { count: 1 }, 1)).toBe('one log entry so far');
    expect(en.t('run.entriesSoFar', { count: 0 }, 0)).toBe('0 log entries so far');
  });
});
