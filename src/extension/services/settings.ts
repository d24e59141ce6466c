// What the ChurchTools page tells the extension about itself: base URL and the user's language.
//
// ChurchTools renders its own page and injects our script (reference/ct-extension.md §1.1 G6):
// `window.settings` (set by ChurchTools' own script) and `<script type="application/json"
// id="ct-settings-json">` both carry `base_url` and the user. Where the user's language sits is
// not documented [I], so we look in the likely places and fall back to the page's `<html lang>`
// and finally German. Permissions are never read from here (that copy is pruned); use the API.
import type { CtUser } from '../contracts.ts';

export type SyncLocale = 'de' | 'en';
export const SUPPORTED_LOCALES: readonly SyncLocale[] = ['de', 'en'];
export const DEFAULT_LOCALE: SyncLocale = 'de';

export interface CtPageSettings {
  base_url?: string;
  language?: string;
  locale?: string;
  user?: Record<string, unknown>;
  [field: string]: unknown;
}

declare global {
  interface Window {
    settings?: CtPageSettings;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses `#ct-settings-json`; missing or broken JSON means "no settings", not an error. */
export function readCtSettingsJson(doc: Document | undefined = globalThis.document): CtPageSettings | undefined {
  const text = doc?.getElementById('ct-settings-json')?.textContent;
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function windowSettings(): CtPageSettings | undefined {
  const settings = typeof window === 'undefined' ? undefined : window.settings;
  return isRecord(settings) ? settings : undefined;
}

/**
 * The ChurchTools instance URL without trailing slash: `window.settings.base_url`, else the
 * `ct-settings-json` copy, else the page origin (the extension is served by the instance itself).
 */
export function resolveBaseUrl(explicit?: string): string {
  const candidates = [explicit, windowSettings()?.base_url, readCtSettingsJson()?.base_url];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim().replace(/\/+$/, '');
  }
  return typeof window === 'undefined' ? '' : window.location.origin;
}

/**
 * Maps a language tag to a UI locale. German variants → de; any other language → en, because
 * someone who chose e.g. Dutch in ChurchTools is better served by English than by German.
 * Undefined when the tag is empty or not a language tag at all.
 */
export function normalizeLocale(tag: unknown): SyncLocale | undefined {
  if (typeof tag !== 'string') return undefined;
  const match = /^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$/.exec(tag);
  const language = match?.[1]?.toLowerCase();
  if (!language) return undefined;
  return language === 'de' || language === 'deu' || language === 'ger' ? 'de' : 'en';
}

function languageOf(source: Record<string, unknown> | undefined): unknown[] {
  if (!source) return [];
  const user = isRecord(source.user) ? source.user : undefined;
  const preferences = user && isRecord(user.preferences) ? user.preferences : undefined;
  return [
    user?.language,
    user?.locale,
    preferences?.language,
    source.language,
    source.locale,
  ];
}

/**
 * The user's ChurchTools language, first hit wins: explicit option, the user object handed in
 * (entry points get it), `window.settings`, `ct-settings-json`, `<html lang>`, German.
 */
export function detectLocale(options: { explicit?: string; user?: CtUser } = {}): SyncLocale {
  const userObject: Record<string, unknown> | undefined = options.user;
  const candidates: unknown[] = [
    options.explicit,
    userObject?.language,
    userObject?.locale,
    ...languageOf(windowSettings()),
    ...languageOf(readCtSettingsJson()),
    typeof document === 'undefined' ? undefined : document.documentElement.lang,
  ];
  for (const candidate of candidates) {
    const locale = normalizeLocale(candidate);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** The logged-in user as the page embeds it, when it does (saves a `/whoami` round trip). */
export function userFromPage(): CtUser | undefined {
  for (const source of [windowSettings(), readCtSettingsJson()]) {
    const user = source?.user;
    if (isRecord(user) && typeof user.id === 'number') return user as CtUser;
  }
  return undefined;
}
