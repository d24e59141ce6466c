// @vitest-environment happy-dom
// Base URL and language from what the ChurchTools page provides.
import { afterEach, describe, expect, it } from 'vitest';
import {
  detectLocale,
  normalizeLocale,
  readCtSettingsJson,
  resolveBaseUrl,
  userFromPage,
} from '../../src/extension/services/settings.ts';

function setCtSettingsJson(value: unknown): void {
  const script = document.createElement('script');
  script.type = 'application/json';
  script.id = 'ct-settings-json';
  script.textContent = typeof value === 'string' ? value : JSON.stringify(value);
  document.head.appendChild(script);
}

afterEach(() => {
  document.getElementById('ct-settings-json')?.remove();
  delete window.settings;
  document.documentElement.removeAttribute('lang');
});

describe('normalizeLocale', () => {
  it.each([
    ['de', 'de'],
    ['de-DE', 'de'],
    ['de_CH', 'de'],
    ['DE', 'de'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['nl', 'en'],
    ['fr-FR', 'en'],
  ])('%s → %s', (tag, expected) => {
    expect(normalizeLocale(tag)).toBe(expected);
  });

  it.each([undefined, '', '  ', 42, 'not a language', '{}'])('ignores %j', (tag) => {
    expect(normalizeLocale(tag)).toBeUndefined();
  });
});

describe('detectLocale', () => {
  it('defaults to German', () => {
    expect(detectLocale()).toBe('de');
  });

  it('prefers an explicit locale', () => {
    window.settings = { language: 'de' };
    expect(detectLocale({ explicit: 'en' })).toBe('en');
  });

  it('follows the user object handed in', () => {
    expect(detectLocale({ user: { id: 1, language: 'en' } })).toBe('en');
  });

  it('reads window.settings (user first, then the page language)', () => {
    window.settings = { language: 'de', user: { id: 1, language: 'en' } };
    expect(detectLocale()).toBe('en');
    window.settings = { language: 'en' };
    expect(detectLocale()).toBe('en');
  });

  it('reads ct-settings-json', () => {
    setCtSettingsJson({ base_url: 'https://x.church.tools', user: { id: 7, language: 'en' } });
    expect(detectLocale()).toBe('en');
  });

  it('falls back to <html lang>', () => {
    document.documentElement.lang = 'en-US';
    expect(detectLocale()).toBe('en');
  });
});

describe('resolveBaseUrl', () => {
  it('uses window.settings.base_url without trailing slash', () => {
    window.settings = { base_url: 'https://gemeinde.example/' };
    expect(resolveBaseUrl()).toBe('https://gemeinde.example');
  });

  it('falls back to ct-settings-json, then to the page origin', () => {
    setCtSettingsJson({ base_url: 'https://other.example' });
    expect(resolveBaseUrl()).toBe('https://other.example');
    document.getElementById('ct-settings-json')?.remove();
    expect(resolveBaseUrl()).toBe(window.location.origin);
  });

  it('prefers an explicit base URL', () => {
    window.settings = { base_url: 'https://gemeinde.example' };
    expect(resolveBaseUrl('http://127.0.0.1:9000//')).toBe('http://127.0.0.1:9000');
  });
});

describe('page settings', () => {
  it('treats broken ct-settings-json as absent', () => {
    setCtSettingsJson('{ not json');
    expect(readCtSettingsJson()).toBeUndefined();
    expect(detectLocale()).toBe('de');
  });

  it('reads the embedded user when it has an id', () => {
    setCtSettingsJson({ user: { id: 42, firstName: 'Erika' } });
    expect(userFromPage()).toMatchObject({ id: 42, firstName: 'Erika' });
  });
});
