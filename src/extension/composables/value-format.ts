// Values as people read them, in the UI's language, with the names of ids from the options
// store ("1" → "Mitglied", "150" → "150: Mitglieder"). The formatting itself is src/format's.
import { useI18n } from 'vue-i18n';
import { formatValue } from '../../format/values.ts';
import type { FieldValue, SystemId } from '../../sync/model.ts';
import { useOptionsStore } from '../stores/options.ts';

export function useValueFormatter(connectionId: () => string | undefined) {
  const options = useOptionsStore();
  const { t, locale } = useI18n();
  return (system: SystemId, field: string, value: FieldValue | undefined): string =>
    formatValue(system, field, value, locale.value, {
      empty: t('common.emptyValue'),
      lookup: (side, name, id) => options.label(side, name, id, connectionId()),
    });
}
