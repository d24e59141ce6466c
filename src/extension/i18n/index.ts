// vue-i18n set-up: composition API (no legacy mode), German default, English fallback-free
// (both message files have the same keys, so a missing key is a bug the tests catch).
import { createI18n } from 'vue-i18n';
import de, { type MessageSchema } from './de.ts';
import en from './en.ts';
import { DEFAULT_LOCALE, type SyncLocale } from '../services/settings.ts';

export const messages: Record<SyncLocale, MessageSchema> = { de, en };

export function createSyncI18n(locale: SyncLocale = DEFAULT_LOCALE) {
  return createI18n<[MessageSchema], SyncLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages,
    // Missing keys are caught by tests; don't spam the host page's console in production.
    missingWarn: import.meta.env.DEV,
    fallbackWarn: import.meta.env.DEV,
  });
}

export type SyncI18n = ReturnType<typeof createSyncI18n>;
