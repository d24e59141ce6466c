// Values as people read them: ids of enumerated fields become their names ("1" → "Mitglied",
// "150" → "150: Mitglieder"), lists are joined, empty values are marked as empty.
import { useI18n } from 'vue-i18n';
import type { FieldValue, SystemId } from '../../sync/model.ts';
import { useOptionsStore } from '../stores/options.ts';

export function useValueFormatter(connectionId: () => string | undefined) {
  const options = useOptionsStore();
  const { t } = useI18n();
  return (system: SystemId, field: string, value: FieldValue | undefined): string => {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('common.emptyValue');
    const one = (v: string | number | boolean) => options.label(system, field, String(v), connectionId());
    return Array.isArray(value) ? value.map(one).join(', ') : one(value as string | number | boolean);
  };
}
