// Property names as people read them. ChurchTools fields have labels; Optigem's person columns are
// shown by their own (German) names, the bridge's booking fields get labels.
import { useI18n } from 'vue-i18n';
import type { PropertyPair } from '../../sync/model.ts';

export function useFieldLabels() {
  const { t, te } = useI18n();
  const churchtools = (field: string): string => (te(`fields.churchtools.${field}`) ? t(`fields.churchtools.${field}`) : field);
  const optigem = (field: string): string => (te(`fields.optigem.${field}`) ? t(`fields.optigem.${field}`) : field);
  const pair = (p: Pick<PropertyPair, 'churchtools' | 'optigem'>): string => `${churchtools(p.churchtools)} ↔ ${optigem(p.optigem)}`;
  return { churchtools, optigem, pair };
}
