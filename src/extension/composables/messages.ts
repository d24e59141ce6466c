// Renders engine and store messages ({key, args}) in the current language, their arguments
// formatted by src/format (field names → labels, cents → money). Unknown error codes (a port may
// invent new ones) fall back to the generic error text; their detail is for "Technische Details".
import { useI18n } from 'vue-i18n';
import { actionLabel } from '../../format/labels.ts';
import { formatArgs, formatDateTime, pairLabel, type PersonLookup } from '../../format/values.ts';
import type { Domain, FieldValue, Message, SystemId } from '../../sync/model.ts';

/** `persons` names the person ids a message carries (a booking's donor) from records already read. */
export function useMessageText(
  persons?: PersonLookup,
  value?: (system: SystemId, field: string, value: FieldValue) => string,
): (message: Message | undefined | null, system?: SystemId | 'both', domain?: Domain) => string {
  const { t, te, locale } = useI18n();
  return (message, system, domain = 'person') => {
    if (!message) return '';
    // `since` is an instant (ISO) in every message that has it ("läuft bereits seit …").
    const raw = typeof message.args?.['since'] === 'string' ? { ...message.args, since: formatDateTime(message.args['since'], locale.value) } : (message.args ?? {});
    const side = system === 'both' ? 'churchtools' : system;
    const formatted = formatArgs(raw, locale.value, side, { action: (action) => actionLabel(domain, action, locale.value), ...(persons ? { persons } : {}), ...(value ? { value } : {}) });
    // Stores name a property pair by its fields (they have no i18n); say it in the UI's words.
    const args =
      typeof raw.ctField === 'string' && typeof raw.optigemField === 'string'
        ? { ...formatted, pair: pairLabel({ churchtools: raw.ctField, optigem: raw.optigemField }, locale.value) }
        : formatted;
    // A numeric `count` picks the plural form ("ein Auftrag | {count} Aufträge"); texts without forms ignore it.
    if (te(message.key)) return typeof raw.count === 'number' ? t(message.key, args, raw.count) : t(message.key, args);
    if (message.key.startsWith('error.') || message.key.startsWith('errors.') || message.key.startsWith('optigem.')) {
      // The original text is English or technical: views show it behind "Technische Details".
      return t('errors.generic');
    }
    return message.key;
  };
}
