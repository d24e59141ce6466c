// Values as people read them, in the UI's language, with the names of ids from the options
// store ("1" → "Mitglied", "150" → "150: Mitglieder"). The formatting itself is src/format's.
import { useI18n } from 'vue-i18n';
import { formatValue } from '../../format/values.ts';
import { PERSON_GENDER_FIELD } from '../../optigem/fields.ts';
import type { FieldValue, SystemId } from '../../sync/model.ts';
import { useOptionsStore } from '../stores/options.ts';

const OPTIGEM_GENDER_FIELD = PERSON_GENDER_FIELD.gender;

export function useValueFormatter(connectionId: () => string | undefined) {
  const options = useOptionsStore();
  const { t, te, locale } = useI18n();
  // Optigem's gender codes in the UI's language (the store's names default to German).
  const gender = (id: string): string | undefined => (te(`fields.genders.${id}`) ? t(`fields.genders.${id}`) : undefined);
  return (system: SystemId, field: string, value: FieldValue | undefined): string =>
    formatValue(system, field, value, locale.value, {
      empty: t('common.emptyValue'),
      lookup: (side, name, id) => (side === 'optigem' && name === OPTIGEM_GENDER_FIELD ? gender(id) : undefined) ?? options.label(side, name, id, connectionId()),
    });
}
