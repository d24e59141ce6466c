// Renders engine and store messages ({key, args}) in the current language. Unknown error codes
// (a port may invent new ones) fall back to the generic error text with the detail.
import { useI18n } from 'vue-i18n';
import type { Message } from '../../sync/model.ts';
import { formatDateTime } from '../services/format.ts';

export function useMessageText(): (message: Message | undefined | null) => string {
  const { t, te, locale } = useI18n();
  return (message) => {
    if (!message) return '';
    // `since` is an instant (ISO) in every message that has it ("läuft bereits seit …").
    const raw = typeof message.args?.['since'] === 'string' ? { ...message.args, since: formatDateTime(message.args['since'], locale.value) } : (message.args ?? {});
    // Stores name a property pair by its fields (they have no i18n); say it in the UI's words.
    const args =
      typeof raw.ctField === 'string' && typeof raw.optigemField === 'string'
        ? { ...raw, pair: `${te(`fields.churchtools.${raw.ctField}`) ? t(`fields.churchtools.${raw.ctField}`) : raw.ctField} ↔ ${raw.optigemField}` }
        : raw;
    if (te(message.key)) return t(message.key, args);
    if (message.key.startsWith('error.') || message.key.startsWith('errors.') || message.key.startsWith('optigem.')) {
      return t('error.generic', { detail: String(args.detail ?? message.key) });
    }
    return message.key;
  };
}
