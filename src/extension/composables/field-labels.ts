// Property names as people read them, in the UI's language (src/format holds the labels).
import { useI18n } from 'vue-i18n';
import { fieldLabel, pairLabel } from '../../format/values.ts';
import type { PropertyPair } from '../../sync/model.ts';

export function useFieldLabels() {
  const { locale } = useI18n();
  const churchtools = (field: string): string => fieldLabel('churchtools', field, locale.value);
  const optigem = (field: string): string => fieldLabel('optigem', field, locale.value);
  const pair = (p: Pick<PropertyPair, 'churchtools' | 'optigem'>): string => pairLabel(p, locale.value);
  return { churchtools, optigem, pair };
}
